package org.dsvmpools.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the services the app stands on locally answer yet (#26): Azurite's endpoints in the storage connection
 * string and the emulator's ARM endpoint, each probed once it is on loopback. Until all accept a connection the host
 * answers its functions' routes with 503 and {@code Retry-After} instead of letting the first requests fail with a
 * connection error; once all have, it stays open (a service that fails later is the app's to report, as in Azure).
 */
final class StackReadiness {
    /** How long one probe waits for a connection: loopback answers at once or refuses. */
    private static final int PROBE_MILLIS = 200;

    record Dependency(String name, String host, int port) {
        @Override
        public String toString() {
            return name + " at " + host + ":" + port;
        }
    }

    private final List<Dependency> dependencies;
    private volatile boolean ready;

    StackReadiness(List<Dependency> dependencies) {
        this.dependencies = List.copyOf(dependencies);
        this.ready = dependencies.isEmpty();
    }

    /** The loopback services named by the host's settings: what a deployed app would find already running. */
    static StackReadiness of(Map<String, String> settings, String storageSetting, String armSetting) {
        List<Dependency> found = new ArrayList<>();
        String storage = settings.getOrDefault(storageSetting, "");
        for (String part : storage.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0 && part.substring(0, equals).trim().endsWith("Endpoint")) {
                loopback("Azurite's " + part.substring(0, equals).trim().replace("Endpoint", "").toLowerCase()
                        + " service", part.substring(equals + 1).trim()).ifPresent(found::add);
            }
        }
        loopback("the Azure emulator's ARM", settings.getOrDefault(armSetting, "")).ifPresent(found::add);
        return new StackReadiness(found);
    }

    private static Optional<Dependency> loopback(String name, String url) {
        try {
            URI uri = URI.create(url);
            String host = uri.getHost();
            if (host == null || !(host.equals("127.0.0.1") || host.equals("localhost"))) {
                return Optional.empty();
            }
            int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            return Optional.of(new Dependency(name, host, port));
        } catch (IllegalArgumentException notAUrl) {
            return Optional.empty();
        }
    }

    /** What does not answer yet; empty once everything has. */
    Optional<Dependency> waitingFor() {
        if (ready) {
            return Optional.empty();
        }
        for (Dependency dependency : dependencies) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(dependency.host(), dependency.port()), PROBE_MILLIS);
            } catch (IOException notYet) {
                return Optional.of(dependency);
            }
        }
        ready = true;
        return Optional.empty();
    }
}
