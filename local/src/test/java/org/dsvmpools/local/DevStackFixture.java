package org.dsvmpools.local;

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

/** The dev stack as a user starts it, on free ports, and the API calls the dev-stack tests make with its key. */
final class DevStackFixture {
    static final String KEY = "dev-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A started stack and the ports it was given. */
    record Started(HostProcess stack, Path work, int armPort, int azuritePort) {
    }

    private DevStackFixture() {
    }

    static Started start(String topicKey) throws Exception {
        Path work = Files.createTempDirectory("devstack");
        Files.copy(HostProcess.repositoryRoot().resolve("local.settings.json.example"),
                work.resolve("local.settings.json.example"));
        int armPort = LoopbackPorts.free();
        int azuritePort = AzuriteProcess.freePortTriple();
        HostProcess stack = HostProcess.startAsLauncher(DevStack.class,
                Map.of(FunctionHost.FUNCTION_KEY_VARIABLE, KEY, FunctionHost.TOPIC_KEY_VARIABLE, topicKey),
                "--root", HostProcess.repositoryRoot().toString(),
                "--settings", work.resolve("local.settings.json").toString(),
                "--data-dir", work.resolve("data").toString(),
                "--azurite-port", "" + azuritePort,
                "--https-port", "" + LoopbackPorts.free(),
                "--arm-port", "" + armPort, "--files-port", "" + LoopbackPorts.free()).awaitReady("stack is up");
        return new Started(stack, work, armPort, azuritePort);
    }

    static JsonNode pool(HostProcess stack, String name) throws Exception {
        return new ObjectMapper().readTree(send(stack, "GET", "/api/pools/" + name, null).body());
    }

    static HttpResponse<String> send(HostProcess stack, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(path))).header("x-functions-key", KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A usage report for {@code instanceId}, sent as the pool's agent sends it: over HTTP with the token the
     * emulator's metadata service gives the pool's scale set.
     */
    static HttpResponse<String> report(Started started, String pool, String instanceId, String sessionsJson)
            throws Exception {
        return report(started, pool, pool, instanceId, sessionsJson);
    }

    /** A report that claims {@code claimed} with the token of {@code sender}'s scale set. */
    static HttpResponse<String> report(Started started, String sender, String claimed, String instanceId,
                                       String sessionsJson) throws Exception {
        String now = org.dsvmpools.kit.SystemClock.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String report = "{\"v\":1,\"pool\":\"" + claimed + "\",\"instanceId\":\"" + instanceId + "\",\"reportedAt\":\""
                + now + "\",\"lastActiveAt\":\"" + now + "\",\"cpuPercent\":1,\"sessions\":" + sessionsJson
                + ",\"kernels\":[]}";
        var names = org.dsvmpools.pool.AzureNames.of(new org.dsvmpools.pool.PoolName(sender));
        var tls = org.dsvmpools.kit.TlsCertificate.loadOrCreate(started.work().resolve("data")).clientContext();
        var imds = HttpClient.newBuilder().sslContext(tls).build().send(HttpRequest.newBuilder(URI.create(
                "https://127.0.0.1:" + started.armPort() + "/vm/" + names.resourceGroup() + "/" + names.scaleSet()
                        + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
                        + java.net.URLEncoder.encode(EmulatedControlPlane.USAGE_AUDIENCE,
                        java.nio.charset.StandardCharsets.UTF_8))).header("Metadata", "true").build(),
                HttpResponse.BodyHandlers.ofString());
        String token = new ObjectMapper().readTree(imds.body()).path("access_token").asText();
        return HTTP.send(HttpRequest.newBuilder(URI.create(started.stack().url("/api/usage")))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(report)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The pool once the worker has settled it: Ready, Failed or Deleted. */
    static JsonNode settled(HostProcess stack, String name) {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> pool(stack, name),
                        pool -> List.of("Ready", "Failed", "Deleted").contains(pool.path("status").asText()));
    }
}
