package org.dsvmpools.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.kit.LoopbackPorts;

/** The real Azurite for this test JVM: started on first use on free loopback ports, stopped when the JVM exits. */
public final class Azurite {
    private static Azurite shared;

    private final AzuriteProcess process;

    private Azurite(AzuriteProcess process) {
        this.process = process;
    }

    public static synchronized Azurite shared() {
        if (shared == null) {
            try {
                shared = new Azurite(AzuriteProcess.startOnFreePorts(repositoryRoot()));
            } catch (IOException e) {
                throw new UncheckedIOException("could not start Azurite", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared.process::stop, "azurite-stop"));
        }
        return shared;
    }

    /** A separate instance, for benchmarks that must not share one with anything else. */
    public static AzuriteProcess startPrivate() throws IOException {
        return AzuriteProcess.startOnFreePorts(repositoryRoot());
    }

    public String connectionString() {
        return process.connectionString();
    }

    /** A connection string whose queue endpoint refuses connections: a queue outage, for fault tests. */
    public String connectionStringWithDeadQueue() {
        return connectionString().replace(":" + process.queuePort() + "/", ":" + LoopbackPorts.free() + "/");
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
