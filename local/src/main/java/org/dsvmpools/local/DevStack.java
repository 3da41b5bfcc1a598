package org.dsvmpools.local;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.dsvmpools.emulator.AzureEmulator;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.kit.TlsCertificate;

/**
 * {@code ./dsvmpools dev}: starts Azurite and the function host in the foreground, prints the URLs and the
 * function key, and stops both on Ctrl-C. Like the Functions host, which starts the Java worker as a process
 * with app settings as its environment, this starts {@link FunctionHost} as a child process with
 * local.settings.json merged into its environment.
 *
 * <p>Its options are {@link DevStackOptions}'s (picocli; {@code --help} lists them).
 */
public final class DevStack {
    private static final Duration HOST_READY_TIMEOUT = Duration.ofSeconds(60);

    /** Where the app finds Azure Resource Manager; {@code emulator} means the local one. */
    public static final String ARM_ENDPOINT_SETTING = "DSVMPOOLS_ARM_ENDPOINT";
    static final String EMULATOR = "emulator";

    private DevStack() {
    }

    public static void main(String[] args) throws Exception {
        DevStackOptions options;
        try {
            options = DevStackOptions.parse(args, System.out);
        } catch (DevStackOptions.UsageException e) {
            System.err.println("dev: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options == null) {
            return;
        }
        Path root = options.root.toAbsolutePath().normalize();
        int port = options.port;
        int azuritePort = options.azuritePort;
        Path dataDir = options.dataDir == null ? null : options.dataDir.toAbsolutePath();
        Path keyDir = dataDir != null ? dataDir : root.resolve(".dsvmpools");
        Path settingsFile = options.settings != null ? options.settings : root.resolve("local.settings.json");

        AppSettings settings = AppSettings.load(settingsFile, System.getenv());
        String key = storedKey(keyDir, FunctionHost.FUNCTION_KEY_VARIABLE, "function-key",
                DevStack::newUrlSafeKey);
        String topicKey = storedKey(keyDir, FunctionHost.TOPIC_KEY_VARIABLE, "eventgrid-key",
                DevStack::newKey);
        int httpsPort = options.httpsPort;
        // Made here, once, before anything that serves or trusts it starts.
        TlsCertificate.ensure(keyDir);
        Path pem = TlsCertificate.loadOrCreate(keyDir).writePem(keyDir);
        boolean emulated = options.emulator == DevStackOptions.EmulatorMode.on
                && settings.values().getOrDefault(ARM_ENDPOINT_SETTING, EMULATOR).equals(EMULATOR);
        int armPort = options.armPort;
        // The host starts while Azurite does: nothing in it touches storage before the first request.
        Map<String, String> environment = hostEnvironment(settings,
                AzuriteProcess.connectionString(azuritePort), key);
        environment.put(FunctionHost.TOPIC_KEY_VARIABLE, topicKey);
        List<String> jvmOptions = new java.util.ArrayList<>();
        EmulatedControlPlane controlPlane = new EmulatedControlPlane(settings.values().getOrDefault(
                "DSVMPOOLS_SUBSCRIPTION_ID", "00000000-0000-0000-0000-00000000e1e1"), port);
        if (emulated) {
            environment.put(ARM_ENDPOINT_SETTING, "https://127.0.0.1:" + armPort + "/");
            // Every optional setting on, as in a deployed installation, unless the operator set it.
            controlPlane.settings(azuritePort, armPort).forEach((name, value) -> {
                if (environment.getOrDefault(name, "").isBlank()) {
                    environment.put(name, value);
                }
            });
            // Microsoft Graph's roster endpoints are served by the emulator too, on the same port.
            environment.put("DSVMPOOLS_GRAPH_ENDPOINT", "https://127.0.0.1:" + armPort);
            // The ARM SDK then trusts the emulator's certificate through the JVM's trust store: configuration,
            // not code, so production code stays as it is.
            jvmOptions.addAll(List.of("-Djavax.net.ssl.trustStore=" + keyDir.resolve(TlsCertificate.KEYSTORE),
                    "-Djavax.net.ssl.trustStoreType=PKCS12",
                    "-Djavax.net.ssl.trustStorePassword=" + TlsCertificate.password(keyDir)));
        }
        Process host = startHost(root, port, options.scan, environment,
                jvmOptions, List.of("--https-port", "" + httpsPort, "--tls-dir", keyDir.toString()));
        // The host answers 503 with Retry-After until Azurite and the emulator accept connections, and reports
        // itself Running only then: "up" below means a first request succeeds.
        AtomicReference<AzureEmulator> emulator = new AtomicReference<>();
        AzuriteProcess azurite;
        try {
            azurite = AzuriteProcess.start(root, azuritePort, dataDir);
        } catch (IOException | RuntimeException e) {
            host.destroy();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            host.destroy();
            azurite.stop();
            Optional.ofNullable(emulator.get()).ifPresent(AzureEmulator::close);
        }));
        try {
            if (emulated) {
                emulator.set(startEmulator(options, keyDir, controlPlane));
            }
            long readyMillis = awaitHost(host, port);
            System.out.println();
            System.out.println("dsvm-pools local stack is up (first request served " + readyMillis
                    + " ms after launch)");
            System.out.println("  Functions:  http://127.0.0.1:" + port + "/api");
            if (emulator.get() != null) {
                System.out.println("  Front door: http://127.0.0.1:" + port + "/api/p/<pool> (sign in as a user"
                        + " of the pool, for example " + EmulatedControlPlane.SAMPLE_USER + ")");
                System.out.println("  Portal:     http://127.0.0.1:" + port + "/api/portal ("
                        + EmulatedControlPlane.SAMPLE_USER + " is an admin)");
                System.out.println("  SSH:        ./dsvmpools connect --trust " + pem + " http://127.0.0.1:" + port
                        + "/api/p/<pool>" + " (signs in and wakes; the emulated instances run no sshd)");
            }
            System.out.println("  Azurite:    blob " + azuritePort + ", queue " + (azuritePort + 1) + ", table "
                    + (azuritePort + 2) + (dataDir == null ? " (in memory)" : " (data in " + dataDir + ")"));
            System.out.println("  Event Grid: http://127.0.0.1:" + port + "/api/events (aeg-sas-token), https://127.0.0.1:"
                    + httpsPort + "/api/events (aeg-sas-key)");
            if (emulator.get() != null) {
                System.out.println("  Azure emulator: ARM " + emulator.get().armEndpoint() + " (https, certificate "
                        + keyDir.resolve(TlsCertificate.KEYSTORE) + "), Files " + emulator.get().filesEndpoint());
            }
            System.out.println("  Function key (x-functions-key): " + key);
            System.out.println("  Event Grid topic key: " + topicKey);
            System.out.println("Press Ctrl-C to stop.");
            System.exit(host.waitFor());
        } catch (Exception e) {
            host.destroy();
            azurite.stop();
            throw e;
        }
    }

    /**
     * The emulator keeps its files and reads its certificate in the data folder; the control plane is made in it
     * before any fault is injected.
     */
    private static AzureEmulator startEmulator(DevStackOptions options, Path dataDir,
                                               EmulatedControlPlane controlPlane) throws InterruptedException {
        try {
            TlsCertificate tls = TlsCertificate.loadOrCreate(Files.createDirectories(dataDir));
            AzureEmulator emulator = AzureEmulator.start(options.armPort, options.filesPort, options.timeScale, dataDir,
                    tls.serverContext());
            controlPlane.create(emulator, tls.clientContext());
            // The app runs in the control plane's subnet, so each pool's storage firewall must admit it, as in Azure.
            emulator.setFilesCallerSubnet(controlPlane.subnetId());
            if (options.faults != null) {
                emulator.configureFaults(Files.readString(options.faults));
            }
            return emulator;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the Azure emulator did not start: " + e.getMessage(), e);
        }
    }

    /** App settings for the host: local.settings.json and the environment, pointed at this Azurite. */
    static Map<String, String> hostEnvironment(AppSettings settings, String azuriteConnection, String key) {
        Map<String, String> environment = new LinkedHashMap<>(settings.values());
        environment.replaceAll((name, value) -> value.trim().equalsIgnoreCase("UseDevelopmentStorage=true")
                ? azuriteConnection : value);
        environment.put(FunctionHost.FUNCTION_KEY_VARIABLE, key);
        return environment;
    }

    private static Process startHost(Path root, int port, String scan, Map<String, String> environment,
                                     List<String> jvmOptions, List<String> extraArguments) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xshare:auto"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FunctionHost.class.getName(),
                "--port", "" + port, "--root", root.toString(), "--scan", scan));
        command.addAll(extraArguments);
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Milliseconds from this JVM's launch until the host says Running: its stack answers, a request succeeds. */
    private static long awaitHost(Process host, int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest status = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/host/status"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + HOST_READY_TIMEOUT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!host.isAlive()) {
                throw new IllegalStateException("the function host exited with " + host.exitValue());
            }
            try {
                if (client.send(status, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return ManagementFactory.getRuntimeMXBean().getUptime();
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException("the function host did not answer within " + HOST_READY_TIMEOUT);
    }

    /** The environment variable if set, else the key stored in the data folder, else a new one stored there. */
    static String storedKey(Path dataDir, String variable, String fileName, Supplier<String> newKey)
            throws IOException {
        String fromEnvironment = System.getenv(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        Path file = dataDir.resolve(fileName);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        String key = newKey.get();
        Files.createDirectories(dataDir);
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    /** 32 random bytes, base64 as Event Grid topic keys are. */
    static String newKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    /** 32 random bytes, base64url, so that the key can go in a {@code code=} query parameter as it is. */
    static String newUrlSafeKey() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /**
     * {@code --name value} pairs, for the host the stack starts as a child (its command line is the stack's own,
     * never a user's; #30 moves it to picocli too).
     */
    public static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        List<String> list = List.of(args);
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            if (!arg.startsWith("--") || i + 1 >= list.size()) {
                throw new IllegalArgumentException("expected --option value, got '" + arg + "'");
            }
            options.put(arg.substring(2), list.get(++i));
        }
        return options;
    }
}
