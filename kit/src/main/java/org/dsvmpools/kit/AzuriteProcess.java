package org.dsvmpools.kit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Azurite from the project's pinned npm install, on loopback: in memory, or persisted under a data folder.
 */
public final class AzuriteProcess {
    public static final String ACCOUNT = "devstoreaccount1";
    /** Azurite's well-known development key: public and only valid against the emulator. */
    public static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final java.util.Random RANDOM = new java.security.SecureRandom();

    private final Process process;
    private final int blobPort;

    private AzuriteProcess(Process process, int blobPort) {
        this.process = process;
        this.blobPort = blobPort;
    }

    /** Starts an in-memory Azurite on three free loopback ports, for tests. */
    public static AzuriteProcess startOnFreePorts(Path repositoryRoot) throws IOException {
        return start(repositoryRoot, freePortTriple(), null);
    }

    /** A base port with the two ports after it free, for blob, queue and table. */
    public static int freePortTriple() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + RANDOM.nextInt(30_000);
            if (LoopbackPorts.isFree(base) && LoopbackPorts.isFree(base + 1) && LoopbackPorts.isFree(base + 2)) {
                return base;
            }
        }
        throw new IOException("no three consecutive free loopback ports found");
    }

    /** Starts Azurite with blob, queue and table on {@code basePort}, +1, +2. */
    public static AzuriteProcess start(Path repositoryRoot, int basePort, Path dataDir) throws IOException {
        Path script = repositoryRoot.resolve("node_modules/azurite/dist/src/azurite.js");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("Azurite is not installed: run 'npm ci' in " + repositoryRoot);
        }
        List<String> command = new ArrayList<>(List.of("node", script.toString(), "--skipApiVersionCheck", "--loose",
                "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", "" + basePort,
                "--queueHost", "127.0.0.1", "--queuePort", "" + (basePort + 1),
                "--tableHost", "127.0.0.1", "--tablePort", "" + (basePort + 2)));
        Path log;
        if (dataDir == null) {
            command.add("--inMemoryPersistence");
            log = Files.createTempFile("azurite", ".log");
        } else {
            Path location = Files.createDirectories(dataDir.resolve("azurite"));
            command.addAll(List.of("--location", location.toString()));
            log = dataDir.resolve("azurite.log");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AzuriteProcess azurite = new AzuriteProcess(process, basePort);
        azurite.awaitListening(log);
        return azurite;
    }

    public String connectionString() {
        return connectionString(blobPort);
    }

    /** The connection string of an Azurite whose blob service listens on {@code basePort}. */
    public static String connectionString(int basePort) {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY
                + ";BlobEndpoint=http://127.0.0.1:" + basePort + "/" + ACCOUNT
                + ";QueueEndpoint=http://127.0.0.1:" + (basePort + 1) + "/" + ACCOUNT
                + ";TableEndpoint=http://127.0.0.1:" + (basePort + 2) + "/" + ACCOUNT + ";";
    }

    public int queuePort() {
        return blobPort + 1;
    }

    public int blobPort() {
        return blobPort;
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
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite exited at start-up:\n" + Files.readString(log));
            }
            if (accepts(blobPort + 1) && accepts(blobPort + 2)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroy();
        throw new IllegalStateException("Azurite did not listen within " + STARTUP_TIMEOUT);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
