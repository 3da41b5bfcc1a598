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
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.kit.LoopbackPorts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What a user does after cloning: start the dev stack (Azurite, the host over the real functions, the Azure
 * emulator), request a pool with the printed key, and see it with GET: Accepted at once, Ready with endpoints
 * within seconds, deployed by the unchanged worker through the real ARM SDK.
 */
class DevStackIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aPoolRequestedFromTheDevStackIsAcceptedAndVisible() throws Exception {
        Path work = Files.createTempDirectory("devstack");
        Files.copy(HostProcess.repositoryRoot().resolve("local.settings.json.example"),
                work.resolve("local.settings.json.example"));
        int armPort = LoopbackPorts.free();
        try (HostProcess stack = HostProcess.startAsLauncher(DevStack.class,
                Map.of(FunctionHost.FUNCTION_KEY_VARIABLE, "dev-key"),
                "--root", HostProcess.repositoryRoot().toString(),
                "--settings", work.resolve("local.settings.json").toString(),
                "--data-dir", work.resolve("data").toString(),
                "--azurite-port", "" + AzuriteProcess.freePortTriple(),
                "--https-port", "" + LoopbackPorts.free(),
                "--arm-port", "" + armPort, "--files-port", "" + LoopbackPorts.free()).awaitReady("stack is up")) {

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
            var tls = TlsCertificate.loadOrCreate(work.resolve("data")).clientContext();
            var arm = HttpClient.newBuilder().sslContext(tls).build().send(HttpRequest.newBuilder(URI.create(
                    "https://127.0.0.1:" + armPort + "/subscriptions/s/resourceGroups/none?api-version=2021-04-01"))
                    .header("Authorization", "Bearer dev").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(arm.statusCode()).isEqualTo(404);
            assertThat(arm.body()).contains("ResourceGroupNotFound");

            JsonNode ready = settled(stack, "ml-team");
            assertThat(ready.path("status").asText()).as(ready.toPrettyString()).isEqualTo("Ready");
            assertThat(ready.path("endpoints").path("ssh")).hasSize(2);
            assertThat(ready.path("endpoints").path("jupyterHub").asText()).startsWith("https://ml-team-")
                    .endsWith(".westeurope.cloudapp.azure.com:8000/");
            assertThat(ready.path("resources")).hasSize(9);

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

    private static HttpResponse<String> send(HostProcess stack, String method, String path, String body)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(stack.url(path))).header("x-functions-key", "dev-key")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The pool once the worker has settled it: Ready, Failed or Deleted. */
    private static JsonNode settled(HostProcess stack, String name) {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> new ObjectMapper().readTree(send(stack, "GET", "/api/pools/" + name, null).body()),
                        pool -> List.of("Ready", "Failed", "Deleted").contains(pool.path("status").asText()));
    }
}
