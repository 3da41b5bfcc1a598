package org.dsvmpools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.dsvmpools.connect.ConnectCommand;
import org.dsvmpools.kit.SamplePools;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.kit.TlsCertificate;
import org.dsvmpools.testing.RootSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dsvmpools connect} against the dev stack and a real sshd (Debian's OpenSSH, run as root in the
 * sandbox, with alice's account and key): she signs in with the device code flow at the emulator's Entra, the
 * client wakes the pool at zero, waits while the emulator starts an instance and its agent reports, and runs
 * ssh to her seat; then ssh itself, with the client as its {@code ProxyCommand} and the cached sign-in, gets
 * in without a code; a user without a key is told so and wakes nothing. The pool's DNS name resolves nowhere
 * here: {@code --connect-to} sends its port 22 to the sandbox's sshd.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoorConnectIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODE = Pattern.compile("enter the code ([A-Z0-9]+)");
    @TempDir
    static Path dir;
    private static DevStackFixture.Started started;
    private static HostProcess stack;
    private static RootSandbox sandbox;
    private static CompletableFuture<RootSandbox.Result> sshd;
    private static int sshPort;
    private static String dnsName;
    private static Path key;
    private static Path pem;

    @BeforeAll
    static void stackPoolAndSshd() throws Exception {
        Optional<String> unavailable = RootSandbox.unavailable();
        assumeTrue(unavailable.isEmpty(), () -> "no root sandbox for sshd: " + unavailable.orElse(""));
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/sshd")), "openssh-server is not installed");
        key = dir.resolve("alice-key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).isZero();
        started = DevStackFixture.start(DevStack.newKey());
        stack = started.stack();
        pem = started.work().resolve("data").resolve(TlsCertificate.PEM);
        DevStackFixture.send(stack, "POST", "/api/pools", SamplePools.document("ssh-team")
                .replace("\"initial\":2", "\"initial\":0"));
        JsonNode ready = DevStackFixture.settled(stack, "ssh-team");
        assertThat(ready.path("status").asText()).as(ready.toPrettyString()).isEqualTo("Ready");
        dnsName = ready.path("endpoints").path("dnsName").asText();
        String publicKey = Files.readString(dir.resolve("alice-key.pub")).strip();
        var alice = DevStackFixture.send(stack, "POST", "/api/pools/ssh-team/users", JSON.createObjectNode()
                .put("email", EmulatedControlPlane.SAMPLE_USER).set("sshPublicKeys", JSON.createArrayNode()
                        .add(publicKey)).toString());
        assertThat(alice.statusCode()).as(alice.body()).isEqualTo(200);
        var bob = DevStackFixture.send(stack, "POST", "/api/pools/ssh-team/users", "{\"email\":\"bob@contoso.com\"}");
        assertThat(bob.statusCode()).as(bob.body()).isEqualTo(200);

        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            sshPort = free.getLocalPort();
        }
        sandbox = new RootSandbox(Files.createDirectories(dir.resolve("vm")));
        Files.copy(dir.resolve("alice-key.pub"), sandbox.dir().resolve("alice-key.pub"));
        sshd = CompletableFuture.supplyAsync(() -> {
            try {
                return sandbox.run("""
                        /bin/mount -t tmpfs run /run && mkdir -p /run/sshd
                        ssh-keygen -q -A
                        useradd --create-home --shell /bin/bash alice
                        install -d -o alice -g alice -m 700 /home/alice/.ssh
                        install -o alice -g alice -m 600 "$S/alice-key.pub" /home/alice/.ssh/authorized_keys
                        /usr/sbin/sshd -p "$PORT" -o ListenAddress=127.0.0.1 -o PasswordAuthentication=no -E "$S/sshd.log"
                        touch "$S/sshd-up"
                        while [ ! -e "$S/stop" ]; do sleep 0.2; done
                        echo "sshd_log=$(tr "\\n" " " < "$S/sshd.log")"; pkill sshd; true
                        """, Map.of("PORT", String.valueOf(sshPort)), Duration.ofMinutes(10));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(sandbox.dir().resolve("sshd-up"))
                || sshd.isDone());
        assertThat(sshd.isDone()).as(() -> "sshd did not start: " + sshd.join().output()).isFalse();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            Files.createFile(sandbox.dir().resolve("stop"));
            sshd.get(30, TimeUnit.SECONDS);
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aUserSignsInWithADeviceCodeWakesThePoolAtZeroWaitsAndLandsOnHerAccount() throws Exception {
        Messages messages = new Messages();
        CompletableFuture<Integer> connect = CompletableFuture.supplyAsync(() -> ConnectCommand.run(new String[]{
                "--trust", pem.toString(), "--cache-dir", dir.resolve("cache").toString(), "--wait", "3m",
                "--connect-to", dnsName + ":22:127.0.0.1:" + sshPort, stack.url("/api/p/ssh-team"), "--",
                "-i", key.toString(), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                "test \"$(id -un)\" = alice && test \"$HOME\" = /home/alice"},
                messages.stream(), SystemClock.utc(), new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()));

        String userCode = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> code(messages.text()),
                Optional::isPresent).orElseThrow();
        assertThat(DevStackFixture.pool(stack, "ssh-team").path("scaling").path("instances").size())
                .as("at zero until the client wakes it").isZero();
        approve(userCode, EmulatedControlPlane.SAMPLE_USER);

        // The client, signed in, wakes the pool; the scaler asks ARM for an instance; its agent reports once up.
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> DevStackFixture.pool(stack, "ssh-team").path("scaling").path("instances").path(0)
                        .path("power").asText(), "Running"::equals);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> messages.text().contains("finishing its start")
                || messages.text().contains("Starting an instance") || connect.isDone());
        var reported = DevStackFixture.report(started, "ssh-team", "0", "[]");
        assertThat(reported.statusCode()).as(reported.body()).isEqualTo(202);

        int exit = connect.get(120, TimeUnit.SECONDS);
        assertThat(exit).as(messages.text()).isZero();
        assertThat(messages.text()).contains("ssh-team: Starting an instance for you.")
                .contains("a seat is free: alice@" + dnsName);
    }

    @Test
    @Order(2)
    void sshWithTheClientAsItsProxyCommandGetsInOnTheCachedSignIn() throws Exception {
        Path root = HostProcess.repositoryRoot();
        String classpath = root.resolve("connect/target/classes") + ":"
                + Files.readString(root.resolve("connect/target/runtime-classpath.txt")).strip();
        String proxy = String.join(" ", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, ConnectCommand.class.getName(), "--proxy", "--trust", pem.toString(),
                "--cache-dir", dir.resolve("cache").toString(), "--connect-to", dnsName + ":22:127.0.0.1:" + sshPort,
                stack.url("/api/p/ssh-team"));
        Process ssh = new ProcessBuilder("ssh", "-o", "ProxyCommand=" + proxy, "-i", key.toString(),
                "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", "alice@ssh-team", "echo via-proxy $(id -un)").redirectErrorStream(true).start();
        ssh.getOutputStream().close();
        String output = new String(ssh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(ssh.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ssh.exitValue()).as(output).isZero();
        assertThat(output).as("no device code: the refresh token's sign-in").contains("via-proxy alice")
                .doesNotContain("enter the code");
    }

    @Test
    @Order(3)
    void aUserWithoutAKeyIsToldSoAndAMistakeOnTheCommandLineIsOneLine() throws Exception {
        Messages messages = new Messages();
        CompletableFuture<Integer> connect = CompletableFuture.supplyAsync(() -> ConnectCommand.run(new String[]{
                "--trust", pem.toString(), "--cache-dir", dir.resolve("bob-cache").toString(),
                stack.url("/api/p/ssh-team")}, messages.stream(), SystemClock.utc(),
                new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()));
        String userCode = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> code(messages.text()),
                Optional::isPresent).orElseThrow();
        approve(userCode, "bob@contoso.com");

        assertThat(connect.get(60, TimeUnit.SECONDS)).as(messages.text()).isEqualTo(1);
        assertThat(messages.text()).contains("No SSH key: You (bob) have no SSH key on pool ssh-team");

        Messages mistake = new Messages();
        assertThat(ConnectCommand.run(new String[]{"--wait", "soon", "ssh-team"}, mistake.stream(),
                SystemClock.utc(), new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())).isEqualTo(2);
        assertThat(mistake.text().strip()).doesNotContain("\n").contains("'soon' is not a duration");
        Messages noDoor = new Messages();
        assertThat(ConnectCommand.run(new String[]{"ssh-team"}, noDoor.stream(), SystemClock.utc(),
                new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())).isEqualTo(2);
        assertThat(noDoor.text()).contains("which front door?");
    }

    /** The user at the verification page: types the code, signs in as {@code login}. */
    private static void approve(String userCode, String login) throws Exception {
        HttpClient browser = HttpClient.newBuilder().sslContext(TlsCertificate.loadOrCreate(started.work()
                .resolve("data")).clientContext()).build();
        String page = "https://127.0.0.1:" + started.armPort() + "/" + org.dsvmpools.emulator.AzureEmulator.ENTRA_TENANT
                + "/oauth2/deviceauth";
        HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create(page))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("otc=" + userCode + "&login="
                        + URLEncoder.encode(login, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.body()).as(done.body()).contains("You have signed in");
    }

    private static Optional<String> code(String messages) {
        Matcher matcher = CODE.matcher(messages);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** What the client said on stderr, readable while it runs. */
    private static final class Messages {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                super.write(b, off, len);
            }
        };
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        PrintStream stream() {
            return stream;
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
