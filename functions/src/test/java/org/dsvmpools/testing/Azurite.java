package org.dsvmpools.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The real Azurite, from the project's pinned npm install, started once per test JVM on free loopback ports
 * (queue and table; blob too, since Azurite always starts it) with in-memory persistence, and stopped when the
 * JVM exits.
 */
public final class Azurite {
    /** Azurite's well-known development account: public, documented, and useless outside the emulator. */
    public static final String ACCOUNT = "devstoreaccount1";
    public static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static Azurite shared;

    private final Process process;
    private final int queuePort;
    private final int tablePort;

    private Azurite(Process process, int queuePort, int tablePort) {
        this.process = process;
        this.queuePort = queuePort;
        this.tablePort = tablePort;
    }

    /** The JVM-wide instance, started on first use. */
    public static synchronized Azurite shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "azurite-stop"));
        }
        return shared;
    }

    public static Azurite start() {
        Path script = repositoryRoot().resolve("node_modules/azurite/dist/src/azurite.js");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("Azurite is not installed at " + script
                    + ": run 'npm ci' in the repository root (mvn verify does it on a fresh clone)");
        }
        int blobPort = freePort();
        int queuePort = freePort();
        int tablePort = freePort();
        List<String> command = List.of("node", script.toString(), "--inMemoryPersistence", "--skipApiVersionCheck",
                "--loose", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", "" + blobPort,
                "--queueHost", "127.0.0.1", "--queuePort", "" + queuePort,
                "--tableHost", "127.0.0.1", "--tablePort", "" + tablePort);
        try {
            Path log = Files.createTempFile("azurite", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Azurite azurite = new Azurite(process, queuePort, tablePort);
            azurite.awaitListening(log);
            return azurite;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Azurite with node", e);
        }
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";QueueEndpoint=http://127.0.0.1:" + queuePort + "/" + ACCOUNT
                + ";TableEndpoint=http://127.0.0.1:" + tablePort + "/" + ACCOUNT + ";";
    }

    /** A connection string whose queue endpoint refuses connections: a queue outage, for fault tests. */
    public String connectionStringWithDeadQueue() {
        return connectionString().replace(":" + queuePort + "/", ":" + freePort() + "/");
    }

    public void stop() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening(Path log) throws IOException {
        Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited at start-up:\n" + Files.readString(log));
            }
            if (accepts(queuePort) && accepts(tablePort)) {
                return;
            }
            sleep(Duration.ofMillis(100));
        }
        process.destroy();
        throw new IllegalStateException("Azurite did not listen within " + STARTUP_TIMEOUT + ":\n"
                + Files.readString(log));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The repository root, from the build (failsafe passes it) or by walking up from the working directory. */
    public static Path repositoryRoot() {
        String configured = System.getProperty("dsvmpools.repositoryRoot");
        Path start = configured != null ? Paths.get(configured) : Paths.get("").toAbsolutePath();
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("package.json")) && Files.exists(dir.resolve("host.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root not found above " + start);
    }
}
