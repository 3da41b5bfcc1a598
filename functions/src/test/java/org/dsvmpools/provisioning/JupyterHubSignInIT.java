package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsvmpools.emulator.AzureEmulator;
import org.dsvmpools.kit.TlsCertificate;
import org.dsvmpools.testing.RootSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real JupyterHub (Debian's package, 3.0) on a stand-in for a pool's VM, with the project's authenticator and the
 * configuration {@link HubConfig} writes for cloud-init, signing users in through the emulator's Entra ID as a
 * browser does: redirects, the sign-in form, cookies. The VM is a {@link RootSandbox}: the real roster agent makes
 * the accounts, the hub's real LocalProcessSpawner starts each user's server as that user, and the real usage
 * agent reads kernels with the token the hub's configuration made.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JupyterHubSignInIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE_OID = "0f7a1c7e-6a3e-4f53-9a52-6b1f0e3d2a11";
    private static final String MALLORY_OID = "5d3c9b1e-2f4a-4d6b-8c7e-1a2b3c4d5e6f";
    private static final String CAROL_OID = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
    private static final String IDENTITY_CLIENT_ID = "3b4a9d1c-8e7f-4a6b-9c5d-2e1f0a9b8c7d";
    private static final String IDENTITY_ID = "/subscriptions/s/resourceGroups/g/providers"
            + "/Microsoft.ManagedIdentity/userAssignedIdentities/pool-hub";
    private static final String IDENTITY_PRINCIPAL_ID = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";
    private static final Duration SCRIPT_LIMIT = Duration.ofMinutes(1);

    @TempDir
    static Path dir;
    private static AzureEmulator emulator;
    private static RootSandbox sandbox;
    private static ExecutorService vm;
    private static Future<RootSandbox.Result> hub;
    private static String hubUrl;
    private static String hubApi;
    private static String appId;
    private static HttpClient alice;
    private static int commands;

    @BeforeAll
    static void startHub() throws Exception {
        RootSandbox.unavailable().ifPresent(reason -> Assumptions.abort("skipped: " + reason));
        assertThat(Path.of("/usr/bin/jupyterhub")).as("JupyterHub from Debian's package (.ci/run installs it)")
                .exists();
        Path data = Files.createDirectories(dir.resolve("emulator"));
        TlsCertificate tls = TlsCertificate.loadOrCreate(data);
        emulator = AzureEmulator.start(0, 0, 0.001, data, tls.serverContext());
        sandbox = new RootSandbox(dir);
        int proxyPort = freePort();
        int hubPort = freePort();
        hubUrl = "http://127.0.0.1:" + proxyPort;
        hubApi = "http://127.0.0.1:" + hubPort + "/hub/api";
        String callback = hubUrl + HubSignIn.CALLBACK_PATH;

        appId = UUID.randomUUID().toString();
        ObjectNode app = JSON.createObjectNode().put("displayName", "dsvm-pools JupyterHub");
        app.putObject("web").putArray("redirectUris").add(callback);
        app.putArray("federatedIdentityCredentials").addObject().put("name", "pool-instances")
                .put("issuer", emulator.entraAuthority()).put("subject", IDENTITY_PRINCIPAL_ID)
                .putArray("audiences").add("api://AzureADTokenExchange");
        emulator.registerApplication(appId, app, true);
        emulator.registerManagedIdentity(IDENTITY_ID, IDENTITY_CLIENT_ID, IDENTITY_PRINCIPAL_ID);
        emulator.setGroupMembers(UUID.randomUUID().toString(), List.of(
                user(ALICE_OID, "Alice@Contoso.com", "alice@contoso.onmicrosoft.com"),
                user(MALLORY_OID, "mallory@contoso.com", "mallory@contoso.onmicrosoft.com"),
                user(CAROL_OID, "carol@contoso.com", "carol@contoso.onmicrosoft.com")));

        Path hubDir = Files.createDirectories(dir.resolve("hub"));
        Files.createDirectories(hubDir.resolve("module"));
        Files.write(hubDir.resolve("module/dsvmpools_hub.py"), CloudInit.resource(CloudInit.HUB_MODULE_RESOURCE));
        Files.writeString(hubDir.resolve("ca.pem"), tls.pem());
        HubConfig.Paths paths = new HubConfig.Paths(hubDir.resolve("module").toString(),
                dir.resolve("share/.pool/users.json").toString(), hubDir.resolve("usage-token").toString(),
                hubDir.resolve("roster-token").toString(), emulator.graphEndpoint(), hubDir.resolve("ca.pem").toString());
        HubSignIn signIn = new HubSignIn(emulator.entraAuthority(), appId, IDENTITY_ID, IDENTITY_CLIENT_ID);
        Files.writeString(hubDir.resolve("dsvmpools_config.py"), HubConfig.render(signIn, callback, paths));
        // What only this stand-in needs: its ports, its state in the test's folder, patient timeouts.
        Files.writeString(hubDir.resolve("test_config.py"), String.join("\n",
                "load_subconfig('" + hubDir.resolve("dsvmpools_config.py") + "')",
                "c.JupyterHub.bind_url = '" + hubUrl + "/'",
                "c.JupyterHub.hub_bind_url = 'http://127.0.0.1:" + hubPort + "'",
                "c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:" + freePort() + "'",
                "c.ConfigurableHTTPProxy.pid_file = '" + hubDir.resolve("proxy.pid") + "'",
                "c.JupyterHub.pid_file = '" + hubDir.resolve("hub.pid") + "'",
                "c.JupyterHub.db_url = 'sqlite:///" + hubDir.resolve("jupyterhub.sqlite") + "'",
                "c.JupyterHub.cookie_secret_file = '" + hubDir.resolve("cookie_secret") + "'",
                "c.Spawner.start_timeout = 120",
                "c.Spawner.http_timeout = 90",
                ""));

        writeManifest(entry("alice", 20001, "active", ALICE_OID, "alice@contoso.com"),
                entry("carol", 20002, "active", null, "Carol@Contoso.com"));
        Files.createDirectories(dir.resolve("share/users/alice/notebooks"));
        Files.createDirectories(dir.resolve("share/users/carol/notebooks"));
        Files.writeString(dir.resolve("share/users/alice/notebooks/analysis.ipynb"), "{}");
        for (String script : List.of("roster-agent.sh", "usage-agent.sh")) {
            Files.write(dir.resolve(script), CloudInit.resource(script));
        }
        Files.createDirectories(dir.resolve("ctl"));
        vm = Executors.newSingleThreadExecutor();
        hub = vm.submit(() -> sandbox.run(String.join("\n",
                // The roster agent makes the accounts before the hub starts, as the timer does on a booted VM.
                roster(),
                // Debian's configurable-http-proxy finds its modules where Debian's Node.js looks by itself; a
                // machine's Node.js from elsewhere (NodeSource) needs the path.
                "cd \"$S/hub\" && NODE_PATH=/usr/share/nodejs /usr/bin/jupyterhub -f \"$S/hub/test_config.py\" > \"$S/hub/hub.log\" 2>&1 &",
                // Commands from the test, one file at a time, until it says stop.
                "while [ ! -e \"$S/ctl/stop\" ]; do",
                "  for f in \"$S\"/ctl/*.sh; do",
                "    [ -e \"$f\" ] || continue",
                "    bash \"$f\" > \"${f%.sh}.tmp\" 2>&1; echo \"exit=$?\" >> \"${f%.sh}.tmp\"",
                "    mv \"${f%.sh}.tmp\" \"${f%.sh}.out\"; mv \"$f\" \"$f.done\"",
                "  done",
                "  sleep 0.2",
                "done",
                "kill %1; wait"), Map.of(), Duration.ofMinutes(10)));
        awaitHub();
        alice = browser();
    }

    @AfterAll
    static void stop() throws Exception {
        if (sandbox != null) {
            Files.writeString(dir.resolve("ctl/stop"), "");
            try {
                hub.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                hub.cancel(true);
            }
            vm.shutdownNow();
        }
        if (emulator != null) {
            emulator.close();
        }
    }

    @Test
    @Order(1)
    void aRosterUserSignsInAndLandsOnTheirOwnServerInNotebooks() throws Exception {
        HttpResponse<String> landed = signIn(alice, "alice@contoso.com");
        HttpResponse<String> server = awaitServer(alice, "alice", landed);

        assertThat(server.uri().getPath()).startsWith("/user/alice/");
        JsonNode contents = JSON.readTree(get(alice, hubUrl + "/user/alice/api/contents").body());
        assertThat(contents.path("content").findValuesAsText("name")).contains("remote");
        JsonNode remote = JSON.readTree(get(alice, hubUrl + "/user/alice/api/contents/remote").body());
        assertThat(remote.path("content").findValuesAsText("name")).containsExactly("analysis.ipynb");
        assertThat(inVm("ps -o user= -C jupyterhub-singleuser -C python3 | sort -u")).contains("alice");
    }

    @Test
    @Order(2)
    void theUsageAgentsTokenListsKernelsWithTheirExecutionState() throws Exception {
        String busy = startKernel(alice, "alice");
        String idle = startKernel(alice, "alice");
        // A kernel stays "starting" until a notebook page connects to it: this one ran a cell and went idle.
        Cell done = execute(alice, "alice", idle, "1 + 1");
        awaitKernelState(alice, "alice", idle, "idle", done);
        Cell socket = execute(alice, "alice", busy, "import time; time.sleep(120)");
        try {
            awaitKernelState(alice, "alice", busy, "busy", socket);
            String reported = inVm(agentEnvironment() + "source \"$S/usage-agent.sh\" pool-x http://127.0.0.1:9;"
                    + " kernels_json");
            JsonNode kernels = JSON.readTree(reported.substring(0, reported.lastIndexOf("exit=")).trim());
            assertThat(kernels).hasSize(2);
            assertThat(kernels.findValuesAsText("user")).containsOnly("alice");
            assertThat(kernels.findValues("busy")).extracting(JsonNode::asBoolean).containsExactlyInAnyOrder(true, false);
            assertThat(inVm("stat -c %a \"$S/hub/usage-token\" \"$S/hub/roster-token\"")).startsWith("600\n600\n");
        } finally {
            socket.socket().abort();
            done.socket().abort();
        }
    }

    @Test
    @Order(3)
    void anIdentityNotOnTheRosterIsRefusedWithAPageThatSaysWhy() throws Exception {
        HttpClient mallory = browser();
        HttpResponse<String> refused = signIn(mallory, "mallory@contoso.com");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("is not a user of this pool");
        assertThat(get(mallory, hubUrl + "/hub/home").uri().getPath()).isNotEqualTo("/hub/home");
        assertThat(hubGet("/users/mallory", "usage-token").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void aCallbackThisBrowserDidNotStartIsRefused() throws Exception {
        HttpClient stranger = browser();
        get(stranger, hubUrl + "/hub/login");
        HttpResponse<String> forged = get(stranger, hubUrl + HubSignIn.CALLBACK_PATH + "?code=stolen&state=forged");

        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("was not started here");
    }

    /**
     * Input a browser controls is answered with a page, never a 500: a state of any characters (the constant-time
     * comparison takes ASCII only), a return path with a control character (it would split the Location header).
     * The state cookie is Secure wherever the hub is reached over HTTPS, as every pool's hub is.
     */
    @Test
    @Order(3)
    void badInputFromTheBrowserIsAPageThatSaysWhyAndTheStateCookieIsSecureOverHttps() throws Exception {
        HttpClient stranger = browser();
        get(stranger, hubUrl + "/hub/login");
        HttpResponse<String> nonAscii = get(stranger, hubUrl + HubSignIn.CALLBACK_PATH + "?code=c&state=%C3%A9t%C3%A9");
        assertThat(nonAscii.statusCode()).as(nonAscii.body()).isEqualTo(400);
        assertThat(nonAscii.body()).contains("was not started here");

        HttpResponse<String> landed = signIn(browser(), "carol@contoso.com",
                "/hub/oauth_login?next=" + URLEncoder.encode("/hub/home\r\nSet-Cookie: x=1", StandardCharsets.UTF_8));
        assertThat(landed.statusCode()).as(landed.body()).isLessThan(500);
        assertThat(landed.uri().getPath()).as("signed in, at the hub's own default").matches("/(hub|user)/.*");
        assertThat(landed.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("x="));

        HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String hubPort = hubApi.replaceAll(".*:(\\d+)/.*", "$1");
        for (String proto : List.of("https", "http")) {
            HttpResponse<String> start = direct.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hubPort
                    + "/hub/oauth_login")).header("X-Forwarded-Proto", proto).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(start.statusCode()).as(start.body()).isEqualTo(302);
            String cookie = start.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("dsvmpools-oauth-state=")).findFirst().orElseThrow();
            assertThat(cookie).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax");
            if (proto.equals("https")) {
                assertThat(cookie).as(proto).containsIgnoringCase("; Secure");
            } else {
                assertThat(cookie).as(proto).doesNotContainIgnoringCase("Secure");
            }
        }
    }

    @Test
    @Order(4)
    void aUserAddedByEmailOnlySignsInByTheirEmailInAnyCase() throws Exception {
        HttpClient carol = browser();
        HttpResponse<String> landed = signIn(carol, "carol@contoso.com");

        assertThat(awaitServer(carol, "carol", landed).uri().getPath()).startsWith("/user/carol/");
    }

    @Test
    @Order(5)
    void aRemovedUserIsSignedOutAndTheirServerStopped() throws Exception {
        writeManifest(entry("alice", 20001, "removed", ALICE_OID, "alice@contoso.com"),
                entry("carol", 20002, "active", null, "Carol@Contoso.com"));
        String removed = inVm(agentEnvironment() + roster());
        assertThat(removed).contains("exit=0");

        assertThat(hubGet("/users/alice", "usage-token").statusCode()).isEqualTo(404);
        assertThat(get(alice, hubUrl + "/hub/home").uri().getPath()).isNotEqualTo("/hub/home");
        assertThat(inVm("ps -o user= -C jupyterhub-singleuser | sort -u")).doesNotContain("alice");
        HttpResponse<String> again = signIn(browser(), "alice@contoso.com");
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.body()).contains("access to this pool has been removed");
    }

    // --- the browser ---

    private static HttpClient browser() throws Exception {
        // HTTP/1.1: the proxy takes Java's h2c upgrade header for a WebSocket upgrade and never answers.
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.ALWAYS).sslContext(TlsCertificate.loadOrCreate(
                        dir.resolve("emulator")).clientContext()).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The hub's login page sends the browser to Entra's sign-in form; the form's answer comes back signed in. */
    private static HttpResponse<String> signIn(HttpClient browser, String login) throws Exception {
        return signIn(browser, login, "/hub/login");
    }

    private static HttpResponse<String> signIn(HttpClient browser, String login, String start) throws Exception {
        HttpResponse<String> form = get(browser, hubUrl + start);
        assertThat(form.uri().toString()).as(form.body()).startsWith(emulator.entraAuthority().replace("/v2.0", ""));
        Matcher action = Pattern.compile("action=\"([^\"]+)\"").matcher(form.body());
        assertThat(action.find()).as(form.body()).isTrue();
        URI post = form.uri().resolve(action.group(1).replace("&amp;", "&").replace("&quot;", "\""));
        return browser.send(HttpRequest.newBuilder(post).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("login=" + URLEncoder.encode(login, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient browser, String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The spawn-pending page polls; so does this, until the user's server answers. */
    private static HttpResponse<String> awaitServer(HttpClient browser, String user, HttpResponse<String> landed)
            throws Exception {
        HttpResponse<String> page = landed;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!(page.statusCode() == 200 && page.uri().getPath().startsWith("/user/" + user + "/"))) {
            assertThat(System.nanoTime()).as("%s's server never answered; last page %s %s\n%s", user,
                    page.statusCode(), page.uri(), hubLog()).isLessThan(deadline);
            Thread.sleep(500);
            page = get(browser, hubUrl + "/user/" + user + "/tree");
        }
        return page;
    }

    private static String startKernel(HttpClient browser, String user) throws Exception {
        HttpResponse<String> started = browser.send(HttpRequest.newBuilder(URI.create(hubUrl + "/user/" + user
                        + "/api/kernels")).header("X-XSRFToken", xsrf(browser)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"python3\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return JSON.readTree(started.body()).path("id").asText();
    }

    /** A cell sent over a kernel's channels, which can be sent again, over a new connection if need be. */
    private static final class Cell {
        private final HttpClient browser;
        private final String user;
        private final String kernel;
        private final String message;
        private WebSocket socket;

        Cell(HttpClient browser, String user, String kernel, String message) throws Exception {
            this.browser = browser;
            this.user = user;
            this.kernel = kernel;
            this.message = message;
            this.socket = channels(browser, user, kernel);
        }

        void send() throws Exception {
            socket.sendText(message, true).get(30, java.util.concurrent.TimeUnit.SECONDS);
        }

        /** As a notebook page does when its kernel seems stuck: a new connection, and the cell sent again. */
        void reconnect() throws Exception {
            socket.abort();
            socket = channels(browser, user, kernel);
            send();
        }

        WebSocket socket() {
            return socket;
        }
    }

    /** A cell run over the kernel's channels, as the notebook page sends it. */
    private static Cell execute(HttpClient browser, String user, String kernel, String code) throws Exception {
        ObjectNode message = JSON.createObjectNode().put("channel", "shell");
        message.putObject("header").put("msg_id", UUID.randomUUID().toString()).put("username", user)
                .put("session", UUID.randomUUID().toString()).put("msg_type", "execute_request").put("version", "5.3");
        message.putObject("parent_header");
        message.putObject("metadata");
        message.putObject("content").put("code", code).put("silent", false).put("store_history", false)
                .put("allow_stdin", false).put("stop_on_error", true).putObject("user_expressions");
        message.putArray("buffers");
        Cell cell = new Cell(browser, user, kernel, message.toString());
        cell.send();
        return cell;
    }

    private static WebSocket channels(HttpClient browser, String user, String kernel) throws Exception {
        String cookies = String.join("; ", ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore()
                .getCookies().stream().map(c -> c.getName() + "=" + c.getValue()).toList());
        return browser.newWebSocketBuilder().header("Cookie", cookies)
                .buildAsync(URI.create(hubUrl.replace("http", "ws") + "/user/" + user + "/api/kernels/" + kernel
                        + "/channels"), new WebSocket.Listener() {
                    @Override
                    public CompletableFuture<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        webSocket.request(1);
                        return null;
                    }
                }).get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * Waits for the kernel's state. A cell sent while the kernel was still starting can be lost before the kernel
     * listens, as a notebook page finds when it reconnects: it is sent again every two seconds until the kernel
     * reaches the state, and over a new connection every fifteen seconds while the kernel still says "starting"
     * (on a loaded machine the server's first connection can miss the kernel's first status, and then its state
     * stays "starting" until a page connects again).
     */
    private static void awaitKernelState(HttpClient browser, String user, String kernel, String state, Cell cell)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long resendAt = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long reconnectAt = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String seen = "";
        while (System.nanoTime() < deadline) {
            seen = JSON.readTree(get(browser, hubUrl + "/user/" + user + "/api/kernels/" + kernel).body())
                    .path("execution_state").asText();
            if (seen.equals(state)) {
                return;
            }
            // A socket the server closed takes our sends without a word: reconnect, as a page does, while the
            // kernel has not begun (starting) or has not taken the cell that should keep it busy.
            if (System.nanoTime() > reconnectAt && (seen.equals("starting") || state.equals("busy"))) {
                cell.reconnect();
                reconnectAt = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                resendAt = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            } else if (System.nanoTime() > resendAt && (seen.equals("starting") || state.equals("busy"))) {
                cell.send();
                resendAt = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            }
            Thread.sleep(300);
        }
        String log = hubLog();
        throw new AssertionError("kernel " + kernel + " stayed " + seen + ", not " + state + "; the hub's log ends:\n"
                + log.substring(Math.max(0, log.length() - 6000)));
    }

    private static String xsrf(HttpClient browser) {
        return ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("_xsrf")).map(java.net.HttpCookie::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no _xsrf cookie"));
    }

    // --- the VM ---

    private static String roster() {
        // The sandbox shares the machine's network: no guard of its own to check (VmAgentsIT loads one).
        return "DSVMPOOLS_IMDS_GUARD_TABLE= DSVMPOOLS_SHARE_ROOT=\"$S/share\" DSVMPOOLS_USERS_ROOT=\"$S/data/users\""
                + " DSVMPOOLS_ACCOUNTS_ROOT=\"$S/accounts\" DSVMPOOLS_RUN_DIR=\"$S/run\""
                + " bash \"$S/roster-agent.sh\" dpmlteam pool-data";
    }

    private static String agentEnvironment() {
        return "export DSVMPOOLS_HUB_API='" + hubApi + "' DSVMPOOLS_HUB_URL='" + hubUrl + "'"
                + " DSVMPOOLS_HUB_TOKEN_FILE=\"$S/hub/usage-token\""
                + " DSVMPOOLS_HUB_ROSTER_TOKEN_FILE=\"$S/hub/roster-token\"\n";
    }

    /** Runs a script in the VM next to the hub and returns what it printed, ending in {@code exit=N}. */
    private static String inVm(String script) throws Exception {
        int n = ++commands;
        Path file = dir.resolve("ctl/" + n + ".sh");
        Files.writeString(dir.resolve("ctl/" + n + ".new"), script + "\n");
        Files.move(dir.resolve("ctl/" + n + ".new"), file);
        Path out = dir.resolve("ctl/" + n + ".out");
        long deadline = System.nanoTime() + SCRIPT_LIMIT.toNanos();
        while (!Files.exists(out)) {
            assertThat(hub.isDone()).as("the VM stopped: %s", hub.isDone() ? hub.get().output() : "").isFalse();
            assertThat(System.nanoTime()).as("script %s did not finish", n).isLessThan(deadline);
            Thread.sleep(100);
        }
        return Files.readString(out);
    }

    private static void awaitHub() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(hubUrl + "/hub/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the proxy is not listening yet
            }
            assertThat(hub.isDone()).as("the VM stopped: %s", hub.isDone() ? hub.get().output() : "").isFalse();
            assertThat(System.nanoTime()).as("the hub did not start:\n%s", hubLog()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static HttpResponse<String> hubGet(String path, String token) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                        URI.create(hubApi + path))
                .header("Authorization", "token " + Files.readString(dir.resolve("hub/" + token)).trim()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String hubLog() {
        try {
            return Files.readString(dir.resolve("hub/hub.log"));
        } catch (IOException e) {
            return "(no hub log: " + e.getMessage() + ")";
        }
    }

    private static void writeManifest(ObjectNode... entries) throws IOException {
        ObjectNode manifest = JSON.createObjectNode().put("v", 1);
        for (ObjectNode entry : entries) {
            manifest.withArray("users").add(entry);
        }
        Files.createDirectories(dir.resolve("share/.pool"));
        Files.writeString(dir.resolve("share/.pool/users.json.new"), manifest.toString());
        Files.move(dir.resolve("share/.pool/users.json.new"), dir.resolve("share/.pool/users.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static ObjectNode entry(String name, int uid, String state, String oid, String email) {
        ObjectNode entry = JSON.createObjectNode().put("name", name).put("uid", uid).put("state", state)
                .put("changedAt", "2026-11-30T10:00:00Z").put("email", email);
        entry.putArray("sshPublicKeys");
        if (oid != null) {
            entry.put("entraObjectId", oid);
        }
        return entry;
    }

    private static JsonNode user(String id, String mail, String upn) {
        return JSON.createObjectNode().put("id", id).put("mail", mail).put("userPrincipalName", upn)
                .put("displayName", mail);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
