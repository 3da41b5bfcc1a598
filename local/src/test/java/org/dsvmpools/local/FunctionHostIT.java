package org.dsvmpools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsvmpools.kit.AzuriteProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The host, started as a process over the sample functions, driven with real HTTP and real Azurite queues. */
class FunctionHostIT {
    private static final String KEY = "test-function-key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static AzuriteProcess azurite;
    private static HostProcess host;
    private static QueueClients queues;

    @BeforeAll
    static void startHost() throws Exception {
        azurite = AzuriteProcess.start(HostProcess.repositoryRoot(), AzuriteProcess.freePortTriple(), null);
        Path root = Files.createTempDirectory("host-root");
        Files.writeString(root.resolve("host.json"), "{\"version\":\"2.0\",\"extensions\":{\"queues\":{"
                + "\"maxDequeueCount\":2,\"visibilityTimeout\":\"00:00:01\",\"maxPollingInterval\":\"00:00:01\","
                + "\"batchSize\":4}}}");
        host = HostProcess.start(FunctionHost.class, settings(Map.of()), "--root", root.toString(),
                "--scan", "org.dsvmpools.local.samples").awaitReady("Host started");
        queues = new QueueClients(true);
    }

    private static Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "AzureWebJobsStorage", azurite.connectionString(),
                "SAMPLE_QUEUE", "samples-in",
                "SAMPLE_SCHEDULE", "*/1 * * * * *",
                FunctionHost.FUNCTION_KEY_VARIABLE, KEY));
        settings.putAll(extra);
        return settings;
    }

    @AfterAll
    static void stop() throws Exception {
        if (host != null) {
            host.close();
        }
        if (azurite != null) {
            azurite.stop();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(URI.create(host.url(path)));
    }

    @Test
    void routeParametersQueryHeadersAndBodyReachTheFunction() throws Exception {
        var response = send(at("/api/echo/big%20data?q=a%26b").header("x-functions-key", KEY)
                .header("x-sample", "case-insensitive").POST(HttpRequest.BodyPublishers.ofString("hello")));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("X-Echo")).hasValue("big data");
        JsonNode seen = JSON.readTree(response.body());
        assertThat(seen.path("word").asText()).isEqualTo("big data");
        assertThat(seen.path("q").asText()).isEqualTo("a&b");
        assertThat(seen.path("header").asText()).isEqualTo("case-insensitive");
        assertThat(seen.path("body").asText()).isEqualTo("hello");
        assertThat(seen.path("function").asText()).isEqualTo("Echo");
        assertThat(seen.path("method").asText()).isEqualTo("POST");
    }

    @Test
    void theFunctionKeyIsEnforcedAsAzureDoes() throws Exception {
        assertThat(send(at("/api/echo/x")).statusCode()).isEqualTo(401);
        assertThat(send(at("/api/echo/x").header("x-functions-key", "wrong")).statusCode()).isEqualTo(401);
        assertThat(send(at("/api/echo/x?code=" + KEY)).statusCode()).isEqualTo(201);
        var open = send(at("/api/open"));
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.body()).isEqualTo("open to all");
    }

    @Test
    void unknownRoutesAre404WrongMethods405AndFailures500() throws Exception {
        assertThat(send(at("/api/nothing/here").header("x-functions-key", KEY)).statusCode()).isEqualTo(404);
        var put = send(at("/api/echo/x").header("x-functions-key", KEY).PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow").orElse("")).contains("GET").contains("POST");
        assertThat(send(at("/api/broken")).statusCode()).isEqualTo(500);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(host.output())
                .contains("\"function\":\"Broken\"").contains("\"outcome\":\"Failed\""));
    }

    @Test
    void eachInvocationIsLoggedOnOneStructuredLine() throws Exception {
        send(at("/api/open"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode line = host.output().lines().filter(l -> l.contains("\"function\":\"Open\""))
                    .map(FunctionHostIT::json).findFirst().orElseThrow();
            assertThat(line.path("invocationId").asText()).hasSize(36);
            assertThat(line.path("outcome").asText()).isEqualTo("Succeeded");
            assertThat(line.has("durationMs")).isTrue();
        });
    }

    @Test
    void aQueueMessageIsDeliveredWithBindingDataAndItsOutputWritten() {
        QueueClient in = queues.client(azurite.connectionString(), "samples-in");
        QueueClient out = queues.client(azurite.connectionString(), "sample-out");
        in.createIfNotExists();
        out.createIfNotExists();

        in.sendMessage("hello");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(receiveAll(out)).contains("hello|1|true"));
    }

    @Test
    void aMessageThatKeepsFailingMovesToThePoisonQueueAfterMaxDequeueCount() throws Exception {
        QueueClient in = queues.client(azurite.connectionString(), "samples-in");
        QueueClient poison = queues.client(azurite.connectionString(), "samples-in-poison");
        in.createIfNotExists();
        poison.createIfNotExists();

        in.sendMessage("fail-once-and-again");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(receiveAll(poison)).contains("fail-once-and-again"));
        assertThat(host.output()).contains("(dequeue 2)");
    }

    @Test
    void timersRunOneAtATimeAndReportPastDueRuns() throws Exception {
        QueueClient out = queues.client(azurite.connectionString(), "timer-out");
        out.createIfNotExists();
        List<String> runs = new ArrayList<>();

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            runs.addAll(receiveAll(out));
            return runs.size() >= 3;
        });

        List<long[]> spans = runs.stream().map(run -> run.split("\\|", 3))
                .map(parts -> new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])})
                .sorted((a, b) -> Long.compare(a[0], b[0])).toList();
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i)[0]).as("run %d starts after run %d ends", i, i - 1)
                    .isGreaterThanOrEqualTo(spans.get(i - 1)[1]);
        }
        List<JsonNode> infos = runs.stream().map(run -> json(run.split("\\|", 3)[2])).toList();
        assertThat(infos).allMatch(info -> info.path("IsPastDue").isBoolean()
                && info.path("ScheduleStatus").has("Next"));
        assertThat(infos).anyMatch(info -> info.path("IsPastDue").asBoolean());
    }

    /**
     * Up means up (#26): while the storage it stands on does not answer, the host answers its routes with 503,
     * Retry-After and a problem that names what it waits for, and its status is not Running; once storage answers,
     * the same requests succeed.
     */
    @Test
    void untilItsStorageAnswersTheHostSays503WithRetryAfterNotAConnectionError() throws Exception {
        int port = AzuriteProcess.freePortTriple();
        Map<String, String> later = new java.util.HashMap<>(settings(Map.of()));
        later.put("AzureWebJobsStorage", AzuriteProcess.connectionString(port));
        AzuriteProcess late = null;
        try (HostProcess starting = HostProcess.start(FunctionHost.class, later, "--root",
                HostProcess.repositoryRoot().toString(), "--scan", "org.dsvmpools.local.samples")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> starting.output().contains("Host started"));
            HttpResponse<String> early = send(HttpRequest.newBuilder(URI.create(starting.url("/api/open"))));

            assertThat(early.statusCode()).isEqualTo(503);
            assertThat(early.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(early.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(JSON.readTree(early.body()).path("detail").asText()).contains("Azurite's blob service")
                    .contains(":" + port);
            assertThat(send(HttpRequest.newBuilder(URI.create(starting.url("/admin/host/status")))).statusCode())
                    .isEqualTo(503);

            late = AzuriteProcess.start(HostProcess.repositoryRoot(), port, null);

            assertThat(send(HttpRequest.newBuilder(URI.create(starting.url("/admin/host/status")))).statusCode())
                    .isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(URI.create(starting.url("/api/open")))).statusCode())
                    .isEqualTo(200);
        } finally {
            if (late != null) {
                late.stop();
            }
        }
    }

    @Test
    void anUnsupportedBindingStopsTheStartUpNamingIt() throws Exception {
        try (HostProcess bad = HostProcess.start(FunctionHost.class, settings(Map.of()), "--root",
                HostProcess.repositoryRoot().toString(), "--scan", "org.dsvmpools.local.unsupported")) {
            assertThat(bad.process.waitFor()).isEqualTo(2);
            assertThat(bad.output()).contains("BlobTrigger").contains("OnBlob");
        }
    }

    @Test
    void aMissingSettingStopsTheStartUpNamingIt() throws Exception {
        Map<String, String> withoutQueue = new java.util.HashMap<>(settings(Map.of()));
        withoutQueue.remove("SAMPLE_QUEUE");
        try (HostProcess bad = HostProcess.start(FunctionHost.class, withoutQueue, "--root",
                HostProcess.repositoryRoot().toString(), "--scan", "org.dsvmpools.local.samples")) {
            assertThat(bad.process.waitFor()).isEqualTo(2);
            assertThat(bad.output()).contains("SAMPLE_QUEUE");
        }
    }

    private static List<String> receiveAll(QueueClient queue) {
        List<String> bodies = new ArrayList<>();
        queue.receiveMessages(32).forEach(message -> {
            bodies.add(message.getBody().toString());
            queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
        });
        return bodies;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
