package org.dsvmpools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.azure.core.credential.AzureKeyCredential;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.models.CloudEvent;
import com.azure.core.models.CloudEventDataFormat;
import com.azure.core.util.BinaryData;
import com.azure.messaging.eventgrid.EventGridEvent;
import com.azure.messaging.eventgrid.EventGridPublisherClient;
import com.azure.messaging.eventgrid.EventGridPublisherClientBuilder;
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
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.kit.LoopbackPorts;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.kit.TlsCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Event Grid webhook and the local topic, driven by raw HTTP and by the real EventGridPublisherClient. */
class EventGridIT {
    private static final String KEY = "system-key";
    private static final String TOPIC_KEY = DevStack.newKey();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static AzuriteProcess azurite;
    private static HostProcess host;
    private static Path tlsDir;
    private static int httpsPort;
    private static QueueClient out;

    @BeforeAll
    static void startHost() throws Exception {
        azurite = AzuriteProcess.start(HostProcess.repositoryRoot(), AzuriteProcess.freePortTriple(), null);
        tlsDir = Files.createTempDirectory("tls");
        httpsPort = LoopbackPorts.free();
        host = HostProcess.start(FunctionHost.class, Map.of(
                        "AzureWebJobsStorage", azurite.connectionString(),
                        "SAMPLE_QUEUE", "samples-in", "SAMPLE_SCHEDULE", "0 0 0 1 1 *",
                        FunctionHost.FUNCTION_KEY_VARIABLE, KEY, FunctionHost.TOPIC_KEY_VARIABLE, TOPIC_KEY),
                "--root", HostProcess.repositoryRoot().toString(), "--scan", "org.dsvmpools.local.samples",
                "--https-port", "" + httpsPort, "--tls-dir", tlsDir.toString()).awaitReady("HTTPS on");
        out = new QueueClients(true).client(azurite.connectionString(), "eventgrid-out");
        out.createIfNotExists();
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
        if (azurite != null) {
            azurite.stop();
        }
    }

    @BeforeEach
    void emptyOutput() {
        out.clearMessages();
    }

    private static HttpResponse<String> webhook(String function, String eventType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.url(EventGridWebhook.PATH
                + "?functionName=" + function + "&code=" + KEY))).POST(HttpRequest.BodyPublishers.ofString(body));
        if (eventType != null) {
            request.header("aeg-event-type", eventType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String gridEvent(String id, String data) {
        return "{\"id\":\"" + id + "\",\"subject\":\"pools/ml-team\",\"eventType\":\"DsvmPools.UserAdded\","
                + "\"eventTime\":\"2026-11-27T08:00:00Z\",\"dataVersion\":\"1\",\"data\":" + data + "}";
    }

    @Test
    void theSubscriptionValidationHandshakeEchoesTheCode() throws Exception {
        var response = webhook("OnEvent", "SubscriptionValidation", "[{\"id\":\"v1\",\"eventType\":"
                + "\"Microsoft.EventGrid.SubscriptionValidationEvent\",\"data\":{\"validationCode\":\"abc-123\"}}]");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).path("validationResponse").asText()).isEqualTo("abc-123");
    }

    @Test
    void aNotificationBatchIsOneInvocationPerEvent() throws Exception {
        var response = webhook("OnEvent", "Notification",
                "[" + gridEvent("e1", "{\"n\":1}") + "," + gridEvent("e2", "{\"n\":2}") + "]");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(drain(2)).extracting(event -> event.path("id").asText()).containsExactlyInAnyOrder("e1", "e2");
    }

    @Test
    void aSingleCloudEventIsDelivered() throws Exception {
        var response = webhook("OnEvent", "Notification", "{\"specversion\":\"1.0\",\"id\":\"c1\","
                + "\"source\":\"/dsvmpools\",\"type\":\"DsvmPools.UserRemoved\",\"data\":{\"pool\":\"ml-team\"}}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(drain(1).get(0).path("type").asText()).isEqualTo("DsvmPools.UserRemoved");
    }

    @Test
    void aFailingEventMakesTheDelivery500SoEventGridRetries() throws Exception {
        var response = webhook("OnEvent", "Notification",
                "[" + gridEvent("ok", "{}") + "," + gridEvent("bad", "{\"please-fail\":true}") + "]");

        assertThat(response.statusCode()).isEqualTo(500);
    }

    @Test
    void badWebhookRequestsAreRefused() throws Exception {
        assertThat(webhook("NoSuchFunction", "Notification", gridEvent("x", "{}")).statusCode()).isEqualTo(404);
        assertThat(webhook("OnEvent", null, gridEvent("x", "{}")).statusCode()).isEqualTo(400);
        assertThat(webhook("OnEvent", "Notification", "not json").statusCode()).isEqualTo(400);
        var keyless = HTTP.send(HttpRequest.newBuilder(URI.create(host.url(EventGridWebhook.PATH
                + "?functionName=OnEvent"))).header("aeg-event-type", "Notification")
                .POST(HttpRequest.BodyPublishers.ofString(gridEvent("x", "{}"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(keyless.statusCode()).isEqualTo(401);
    }

    @Test
    void theCloudEventsAbuseProtectionHandshakeIsAnswered() throws Exception {
        var response = HTTP.send(HttpRequest.newBuilder(URI.create(host.url(EventGridWebhook.PATH
                        + "?functionName=OnEvent&code=" + KEY)))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("WebHook-Request-Origin", "eventgrid.azure.net").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("WebHook-Allowed-Origin")).hasValue("eventgrid.azure.net");
    }

    @Test
    void thePublisherClientSendsOverHttpWithASasToken() {
        String endpoint = host.url(LocalEventGridTopic.PATH);
        String sas = EventGridPublisherClient.generateSas(endpoint, new AzureKeyCredential(TOPIC_KEY),
                SystemClock.now().atOffset(java.time.ZoneOffset.UTC).plusMinutes(10));
        EventGridPublisherClient<EventGridEvent> publisher = new EventGridPublisherClientBuilder()
                .endpoint(endpoint).credential(new AzureSasCredential(sas))
                .httpClient(new JdkHttpClientBuilder().build()).buildEventGridEventPublisherClient();

        publisher.sendEvents(List.of(
                new EventGridEvent("pools/ml-team", "DsvmPools.UserAdded", BinaryData.fromString("{\"u\":1}"), "1"),
                new EventGridEvent("pools/ml-team", "DsvmPools.UserAdded", BinaryData.fromString("{\"u\":2}"), "1")));

        assertThat(drain(2)).extracting(event -> event.path("eventType").asText()).containsOnly("DsvmPools.UserAdded");
    }

    @Test
    void aForgedSasTokenIsRefused() {
        String endpoint = host.url(LocalEventGridTopic.PATH);
        String forged = EventGridPublisherClient.generateSas(endpoint, new AzureKeyCredential(DevStack.newKey()),
                SystemClock.now().atOffset(java.time.ZoneOffset.UTC).plusMinutes(10));
        EventGridPublisherClient<EventGridEvent> publisher = new EventGridPublisherClientBuilder()
                .endpoint(endpoint).credential(new AzureSasCredential(forged))
                .httpClient(new JdkHttpClientBuilder().build()).buildEventGridEventPublisherClient();

        assertThatThrownBy(() -> publisher.sendEvent(new EventGridEvent("s", "t", BinaryData.fromString("{}"), "1")))
                .isInstanceOf(HttpResponseException.class)
                .satisfies(e -> assertThat(((HttpResponseException) e).getResponse().getStatusCode()).isEqualTo(401));
    }

    @Test
    void thePublisherClientSendsCloudEventsOverHttpsWithTheKey() throws Exception {
        var tls = TlsCertificate.loadOrCreate(tlsDir).clientContext();
        EventGridPublisherClient<CloudEvent> publisher = new EventGridPublisherClientBuilder()
                .endpoint("https://127.0.0.1:" + httpsPort + LocalEventGridTopic.PATH)
                .credential(new AzureKeyCredential(TOPIC_KEY))
                .httpClient(new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(tls)).build())
                .buildCloudEventPublisherClient();
        String id = UUID.randomUUID().toString();

        publisher.sendEvent(new CloudEvent("/dsvmpools", "DsvmPools.UserRemoved",
                BinaryData.fromString("{\"pool\":\"ml-team\"}"), CloudEventDataFormat.JSON, "application/json")
                .setId(id));

        JsonNode delivered = drain(1).get(0);
        assertThat(delivered.path("id").asText()).isEqualTo(id);
        assertThat(delivered.path("data").path("pool").asText()).isEqualTo("ml-team");
    }

    /** Waits for {@code count} relayed events and returns them. */
    private static List<JsonNode> drain(int count) {
        List<JsonNode> events = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            out.receiveMessages(32).forEach(message -> {
                try {
                    events.add(JSON.readTree(message.getBody().toString()));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                out.deleteMessage(message.getMessageId(), message.getPopReceipt());
            });
            return events.size() >= count;
        });
        return events;
    }
}
