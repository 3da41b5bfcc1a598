package org.dsvmpools.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dsvmpools.kit.LoopbackPorts;
import org.dsvmpools.kit.SystemClock;

/** A host or dev stack started as a child process, as a user starts it, for tests that go through it. */
public final class HostProcess implements AutoCloseable {
    final Process process;
    final Path output;
    final int port;

    private HostProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    public static Path repositoryRoot() {
        return Paths.get(System.getProperty("dsvmpools.repositoryRoot", "..")).toAbsolutePath().normalize();
    }

    static HostProcess start(Class<?> main, Map<String, String> environment, String... args) throws IOException {
        return start(System.getProperty("java.class.path"), main, environment, args);
    }

    /**
     * Starts {@code main} on the classpath the {@code ./dsvmpools} launcher uses (the module's classes and its
     * runtime dependencies, not the test classpath), so a dependency missing at run time fails the test too.
     */
    static HostProcess startAsLauncher(Class<?> main, Map<String, String> environment, String... args)
            throws IOException {
        Path target = repositoryRoot().resolve("local/target");
        String classpath = target.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(target.resolve("runtime-classpath.txt")).trim();
        return start(classpath, main, environment, args);
    }

    private static HostProcess start(String classpath, Class<?> main, Map<String, String> environment,
                                     String... args) throws IOException {
        int port = LoopbackPorts.free();
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", classpath, main.getName(),
                "--port", "" + port));
        command.addAll(List.of(args));
        Path output = Files.createTempFile("host", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return new HostProcess(builder.start(), output, port);
    }

    /**
     * Waits for the line the process prints once it is ready ("Host started" for the host, "stack is up" for
     * the dev stack, whose host answers before Azurite is ready) and for the host to answer; fails with the
     * process output if it exits first.
     */
    HostProcess awaitReady(String readyLine) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Instant deadline = SystemClock.now().plus(Duration.ofSeconds(60));
        while (SystemClock.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("process exited with " + process.exitValue() + ":\n" + output());
            }
            if (output().contains(readyLine)) {
                HttpRequest status = HttpRequest.newBuilder(URI.create(url("/admin/host/status"))).build();
                if (client.send(status, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not ready within 60 s:\n" + output());
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
