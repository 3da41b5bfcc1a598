package org.dsvmpools.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.kit.LoopbackPorts;
import org.dsvmpools.kit.SamplePools;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.kit.TlsCertificate;
import org.junit.jupiter.api.Test;

/**
 * What a user does after cloning: start the dev stack (Azurite, the host over the real functions, the Azure
 * emulator), request a pool with the printed key, and see it with GET: Accepted at once, Ready with endpoints
 * within seconds, deployed by the unchanged worker through the real ARM SDK.
 */
class DevStackIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOPIC_KEY = DevStack.newKey();

    /**
     * A newcomer's mistakes (#30), through the launcher's entry points: one line that says what is wrong and exit
     * code 2, no stack trace: a port that is no number, a misspelt option, a mode that is neither on nor off, a
     * trace that is not there, a pool document that is not JSON.
     */
    @Test
    void aMistakeOnTheCommandLineIsOneLineAndExitCodeTwo() throws Exception {
        Path target = HostProcess.repositoryRoot().resolve("local/target");
        String classpath = target.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(target.resolve("runtime-classpath.txt")).trim();
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path badPool = Files.writeString(Files.createTempFile("pool", ".json"), "{\"name\":");
        for (List<String> mistake : List.of(List.of("dev", "--port", "abc"), List.of("dev", "--prot", "7071"),
                List.of("dev", "--emulator", "maybe"), List.of("simulate", "--sessions", "/nonexistent/trace.csv"),
                List.of("simulate", "--bundled", "office-2-weeks.csv", "--pool", badPool.toString()))) {
            String main = mistake.get(0).equals("dev") ? DevStack.class.getName()
                    : org.dsvmpools.simulate.SimulateCommand.class.getName();
            List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-cp", classpath, main));
            command.addAll(mistake.subList(1, mistake.size()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);

            assertThat(process.waitFor()).as(output).isEqualTo(2);
            assertThat(output.strip()).as("one line").doesNotContain("\n").startsWith(mistake.get(0) + ": ")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void aPoolRequestedFromTheDevStackIsAcceptedAndVisible() throws Exception {
        DevStackFixture.Started started = DevStackFixture.start(TOPIC_KEY);
        Path work = started.work();
        int armPort = started.armPort();
        try (HostProcess stack = started.stack()) {

            var created = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("/api/pools")))
                    .header("x-functions-key", "dev-key").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(SamplePools.document("ml-team"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            var got = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("/api/pools/ml-team")))
                    .header("x-functions-key", "dev-key").build(), HttpResponse.BodyHandlers.ofString());

            assertThat(created.statusCode()).as(stack.output()).isEqualTo(202);
            assertThat(created.headers().firstValue("Location")).hasValue("/api/pools/ml-team");
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(got.body()).path("status").asText())
                    .isIn("Accepted", "Provisioning");
            assertThat(Files.exists(work.resolve("local.settings.json"))).as("created from the example").isTrue();
            assertThat(Files.isDirectory(work.resolve("data/azurite"))).as("Azurite persists to --data-dir").isTrue();
            assertThat(stack.output()).contains("ARM https://127.0.0.1:" + armPort + "/");
            assertThat(stack.output()).as("the quick start ends in a browser").contains("Front door: http://127.0.0.1:")
                    .contains("/api/p/<pool>").contains("/api/portal");
            var tls = TlsCertificate.loadOrCreate(work.resolve("data")).clientContext();
            var arm = HttpClient.newBuilder().sslContext(tls).build().send(HttpRequest.newBuilder(URI.create(
                    "https://127.0.0.1:" + armPort + "/subscriptions/s/resourceGroups/none?api-version=2021-04-01"))
                    .header("Authorization", "Bearer dev").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(arm.statusCode()).isEqualTo(404);
            assertThat(arm.body()).contains("ResourceGroupNotFound");

            JsonNode ready = settled(stack, "ml-team");
            // What a newcomer tried (#30): a health route and the API's document, served without a key.
            var health = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("/api/health"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
            var openApi = HTTP.send(HttpRequest.newBuilder(URI.create(stack.url("/api/openapi.json"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(new ObjectMapper().readTree(openApi.body())).isEqualTo(new ObjectMapper().readTree(
                    HostProcess.repositoryRoot().resolve("docs/openapi.json").toFile()));
            // What a newcomer tried (#30): a PATCH typo is an unknown field.
            var typo = send(stack, "PATCH", "/api/pools/ml-team", "{\"capacitty\":{\"max\":3}}");
            assertThat(typo.statusCode()).isEqualTo(400);
            assertThat(typo.body()).contains("\"pointer\":\"/capacitty\"", "unknown field");

            assertThat(ready.path("status").asText()).as(ready.toPrettyString()).isEqualTo("Ready");
            assertThat(ready.path("endpoints").path("ssh")).hasSize(2);
            assertThat(ready.path("endpoints").path("jupyterHub").asText()).startsWith("https://ml-team-")
                    .endsWith(".westeurope.cloudapp.azure.com:8000/");
            assertThat(ready.path("resources")).as("every optional setting on: the control plane's Files role;"
                    + " the agents report over HTTPS, so no scale set may write the queue").hasSize(10);
            assertThat(ready.path("resources").findValuesAsText("key")).contains("filesRole")
                    .doesNotContain("usageQueueRole");
            assertThat(ready.path("resources").findValuesAsText("state")).containsOnly("Succeeded");
            String accountId = ready.path("resources").findParents("key").stream()
                    .filter(r -> r.path("key").asText().equals("storage")).findFirst().orElseThrow()
                    .path("id").asText();
            var account = HttpClient.newBuilder().sslContext(tls).build().send(HttpRequest.newBuilder(URI.create(
                    "https://127.0.0.1:" + armPort + accountId + "?api-version=2025-06-01"))
                    .header("Authorization", "Bearer dev").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(account.body()).as("the control plane's subnet is let through the pool's storage firewall")
                    .contains("/virtualNetworks/control/subnets/functions");

            wakeAndReport(started);
            // With two pools, a page of one has a nextLink that works as it is (absolute, #30).
            String nextLink = new ObjectMapper().readTree(send(stack, "GET", "/api/pools?maxPageSize=1", null).body())
                    .path("nextLink").asText();
            assertThat(nextLink).startsWith(stack.url("/api/pools?maxPageSize=1&continuationToken="));
            assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(nextLink)).header("x-functions-key", "dev-key")
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            onboardThroughEventGrid(stack, work.resolve("data"));
            rosterFromAGraphGroup(stack, armPort, tls);

            // A quota error from ARM, injected through the emulator's fault endpoint, fails the next pool.
            var faults = HttpClient.newBuilder().sslContext(tls).build();
            faults.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + armPort + "/emulator/faults"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"rules\":[{\"method\":\"PUT\",\"match\":"
                            + "\"virtualMachineScaleSets\",\"status\":409,\"code\":\"QuotaExceeded\"}]}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            send(stack, "POST", "/api/pools", SamplePools.document("no-quota"));
            JsonNode failed = settled(stack, "no-quota");
            assertThat(failed.path("status").asText()).isEqualTo("Failed");
            assertThat(failed.path("failure").path("code").asText()).isEqualTo("QuotaExceeded");

            assertThat(send(stack, "DELETE", "/api/pools/ml-team", null).statusCode()).isEqualTo(202);
            JsonNode deleted = settled(stack, "ml-team");
            assertThat(deleted.path("status").asText()).isEqualTo("Deleted");
            assertThat(deleted.path("resources").findValuesAsText("state")).contains("Kept").doesNotContain("Succeeded");
        }
    }

    /**
     * A pool at zero instances is woken over HTTP: the wake queue's trigger starts capacity through ARM. A usage
     * report sent over HTTP with the instance's token (from the emulator's metadata service of its scale set) is
     * stored, and the next evaluation shows its user; the same token claiming another pool is refused and counted.
     */
    private static void wakeAndReport(DevStackFixture.Started started) throws Exception {
        HostProcess stack = started.stack();
        send(stack, "POST", "/api/pools", SamplePools.document("at-zero").replace("\"initial\":2", "\"initial\":0"));
        assertThat(settled(stack, "at-zero").path("status").asText()).isEqualTo("Ready");

        var typo = send(stack, "POST", "/api/pools/at-zero/wake", "{\"seat\": 4}");
        assertThat(typo.statusCode()).as("a typo is not the default (#30)").isEqualTo(400);
        assertThat(typo.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(typo.body()).contains("\"pointer\":\"/seat\"", "unknown field");
        var woken = send(stack, "POST", "/api/pools/at-zero/wake", "{}");

        assertThat(woken.statusCode()).as(woken.body()).isEqualTo(202);
        assertThat(new ObjectMapper().readTree(woken.body()).path("expectedReadyAt").asText()).isNotBlank();
        assertThat(Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> pool(stack, "at-zero").path("scaling").path("actions").toString(),
                        actions -> actions.contains("creating 1 instance"))).isNotEmpty();
        // The snapshot shows the instances an evaluation saw; the next one (another wake, here) sees the new one.
        JsonNode instance = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    send(stack, "POST", "/api/pools/at-zero/wake", "{}");
                    return pool(stack, "at-zero").path("scaling").path("instances").path(0);
                }, found -> found.path("power").asText().equals("Running"));
        assertThat(instance.path("id").asText()).isEqualTo("0");
        assertThat(pool(stack, "at-zero").path("scaling").path("actions").toString())
                .as("a woken pool asks for its instance once").doesNotContain("creating");

        String now = SystemClock.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String sessions = "[{\"user\":\"alice\",\"lastActivity\":\"" + now + "\",\"since\":\"" + now + "\"}]";
        var stored = DevStackFixture.report(started, "at-zero", "0", sessions);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(202);
        var forOtherPool = DevStackFixture.report(started, "at-zero", "ml-team", "0", sessions);
        assertThat(forOtherPool.statusCode()).as(forOtherPool.body()).isEqualTo(403);
        assertThat(pool(stack, "ml-team").path("usage").path("rejectedReports").asInt()).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            send(stack, "POST", "/api/pools/at-zero/wake", "{\"seats\":1}");
            Thread.sleep(1000);
            assertThat(pool(stack, "at-zero").path("scaling").path("instances").path(0).path("users"))
                    .extracting(JsonNode::asText).containsExactly("alice");
        });
    }

    /**
     * A UserAdded event published with the real EventGridPublisherClient to the stack's topic reaches the
     * OnboardUsers function: the folder appears on the emulator's share and the user is Ready in GET.
     */
    private static void onboardThroughEventGrid(HostProcess stack, Path data) throws Exception {
        var publisher = publisher(stack).buildEventGridEventPublisherClient();

        publisher.sendEvent(new com.azure.messaging.eventgrid.EventGridEvent("pools/ml-team",
                "DsvmPools.UserAdded", com.azure.core.util.BinaryData.fromString("{\"pool\":\"ml-team\","
                        + "\"user\":{\"email\":\"Alice.Smith@example.org\",\"displayName\":\"Alice Smith\","
                        + "\"sshPublicKeys\":[]}}"), "1"));

        JsonNode users = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> new ObjectMapper().readTree(send(stack, "GET", "/api/pools/ml-team/users", null).body())
                        .path("users"), found -> found.path(0).path("state").asText().equals("Ready"));
        assertThat(users.get(0).path("name").asText()).isEqualTo("alice-smith");
        assertThat(users.get(0).path("folder").asText()).isEqualTo("users/alice-smith/notebooks");
        try (var paths = Files.walk(data.resolve("files"))) {
            assertThat(paths.filter(Files::isDirectory).map(Path::toString))
                    .anyMatch(path -> path.endsWith("/users/alice-smith/notebooks"));
        }

        var refused = send(stack, "POST", "/api/pools/ml-team/users", "{\"name\":\"../root\",\"email\":\"x@example.org\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"pointer\":\"/name\"");
        var removed = send(stack, "DELETE", "/api/pools/ml-team/users/alice-smith", null);
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(removed.body()).path("archive").asText()).startsWith("archive/alice-smith-");
        assertThat(send(stack, "DELETE", "/api/pools/ml-team/users/carol", null).statusCode()).isEqualTo(404);
    }

    /**
     * A pool whose roster is an Entra group: the group's members are set in the emulator's Graph, and a
     * Microsoft.Graph.GroupUpdated CloudEvent published to the stack's topic makes the roster follow them.
     */
    private static void rosterFromAGraphGroup(HostProcess stack, int armPort, javax.net.ssl.SSLContext tls)
            throws Exception {
        String group = "0f3a0c2e-1111-2222-3333-444455556666";
        send(stack, "POST", "/api/pools", SamplePools.document("by-group").replace("\"vmSize\"",
                "\"rosterGroupId\":\"" + group + "\",\"users\":[{\"name\":\"dana\"}],\"vmSize\""));
        assertThat(settled(stack, "by-group").path("status").asText()).isEqualTo("Ready");
        var graph = HttpClient.newBuilder().sslContext(tls).build().send(HttpRequest.newBuilder(URI.create(
                "https://127.0.0.1:" + armPort + "/emulator/graph/groups/" + group)).PUT(HttpRequest.BodyPublishers
                .ofString("{\"members\":[{\"id\":\"00000000-0000-0000-0000-000000000001\",\"mail\":"
                        + "\"Bo.Chen@contoso.example\",\"displayName\":\"Bo\"}]}")).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(graph.statusCode()).isEqualTo(204);
        var publisher = publisher(stack).buildCloudEventPublisherClient();

        publisher.sendEvent(new com.azure.core.models.CloudEvent("/graph/groups", "Microsoft.Graph.GroupUpdated",
                com.azure.core.util.BinaryData.fromString("{\"changeType\":\"updated\",\"resource\":\"Groups/"
                        + group + "\"}"), com.azure.core.models.CloudEventDataFormat.JSON, "application/json"));

        JsonNode users = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> pool(stack, "by-group/users").path("users"),
                        found -> found.path(0).path("state").asText().equals("Ready"));
        assertThat(users.findValuesAsText("name")).as("the group's member and the spec's initial user")
                .containsExactly("bo-chen", "dana");
        assertThat(users.findValuesAsText("state")).containsOnly("Ready");
    }

    /** The real publisher client for the stack's topic, with a SAS token over http, as a user would set it up. */
    private static com.azure.messaging.eventgrid.EventGridPublisherClientBuilder publisher(HostProcess stack) {
        String endpoint = stack.url("/api/events");
        String sas = com.azure.messaging.eventgrid.EventGridPublisherClient.generateSas(endpoint,
                new com.azure.core.credential.AzureKeyCredential(TOPIC_KEY),
                SystemClock.now().atOffset(java.time.ZoneOffset.UTC).plusMinutes(10));
        return new com.azure.messaging.eventgrid.EventGridPublisherClientBuilder().endpoint(endpoint)
                .credential(new com.azure.core.credential.AzureSasCredential(sas))
                .httpClient(new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder().build());
    }

    private static JsonNode pool(HostProcess stack, String name) throws Exception {
        return DevStackFixture.pool(stack, name);
    }

    private static HttpResponse<String> send(HostProcess stack, String method, String path, String body)
            throws Exception {
        return DevStackFixture.send(stack, method, path, body);
    }

    private static JsonNode settled(HostProcess stack, String name) {
        return DevStackFixture.settled(stack, name);
    }
}
