package org.dsvmpools.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local Event Grid topic at {@code POST /api/events}: takes events from the real EventGridPublisherClient
 * (a SAS token in {@code aeg-sas-token}, over http or https; the key in {@code aeg-sas-key}, over https as the
 * SDK insists), answers 200 as Event Grid does, then delivers each event to every Event Grid-triggered function
 * through the webhook protocol, over HTTP, retrying failed deliveries with back-off.
 */
final class LocalEventGridTopic implements HttpHandler {
    static final String PATH = "/api/events";
    private static final List<Duration> RETRY_DELAYS = List.of(
            Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));

    private final String topicKey;
    private final String systemKey;
    private final List<String> functionNames;
    private final HttpClient client = HttpClient.newHttpClient();
    private final ExecutorService deliveries = Executors.newFixedThreadPool(4);
    private volatile int webhookPort;

    private final java.time.Clock clock;

    LocalEventGridTopic(String topicKey, String systemKey, List<String> functionNames, java.time.Clock clock) {
        this.clock = clock;
        this.topicKey = topicKey;
        this.systemKey = systemKey;
        this.functionNames = List.copyOf(functionNames);
    }

    /** The plain-http port of this host, where deliveries go. */
    void deliverTo(int port) {
        this.webhookPort = port;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Exchanges.serve(exchange, "Event Grid topic", () -> serve(exchange));
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            Exchanges.send(exchange, 405, "text/plain", new byte[0], Map.of("Allow", "POST"));
            return;
        }
        if (!authorized(exchange)) {
            Exchanges.sendJson(exchange, 401, "{\"error\":{\"code\":\"Unauthorized\",\"message\":"
                    + "\"a valid aeg-sas-key or aeg-sas-token is required\"}}");
            return;
        }
        Optional<List<JsonNode>> events = EventGridWebhook.events(exchange.getRequestBody().readAllBytes());
        Optional<String> problem = events.map(LocalEventGridTopic::problem)
                .orElse(Optional.of("the body must be an event or an array of events"));
        if (problem.isPresent()) {
            Exchanges.sendJson(exchange, 400, "{\"error\":{\"code\":\"BadRequest\",\"message\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(problem.get()) + "}}");
            return;
        }
        Exchanges.sendText(exchange, 200, "");
        for (JsonNode event : events.get()) {
            for (String function : functionNames) {
                deliveries.submit(() -> deliver(function, event));
            }
        }
    }

    private boolean authorized(HttpExchange exchange) {
        String key = exchange.getRequestHeaders().getFirst("aeg-sas-key");
        if (key != null) {
            return Exchanges.constantTimeEquals(key, topicKey);
        }
        String token = exchange.getRequestHeaders().getFirst("aeg-sas-token");
        return token != null && SasToken.isValid(token, topicKey, clock.instant());
    }

    /** What makes a batch unacceptable: an event missing a field its schema requires. */
    private static Optional<String> problem(List<JsonNode> events) {
        for (JsonNode event : events) {
            List<String> required = event.has("specversion")
                    ? List.of("id", "source", "type", "specversion")
                    : List.of("id", "subject", "eventType", "eventTime", "data", "dataVersion");
            for (String field : required) {
                if (!event.hasNonNull(field)) {
                    return Optional.of("event " + event.path("id").asText("(no id)") + " has no '" + field + "'");
                }
            }
        }
        return Optional.empty();
    }

    private void deliver(String function, JsonNode event) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webhookPort
                        + EventGridWebhook.PATH + "?functionName=" + URLEncoder.encode(function, StandardCharsets.UTF_8)
                        + "&code=" + URLEncoder.encode(systemKey, StandardCharsets.UTF_8)))
                .header("aeg-event-type", "Notification")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[" + event + "]"))
                .build();
        for (int attempt = 0; ; attempt++) {
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return;
                }
            } catch (IOException e) {
                System.err.println("local topic: delivery to " + function + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt >= RETRY_DELAYS.size()) {
                System.err.println("local topic: gave up delivering event " + event.path("id").asText()
                        + " to " + function + " after " + (attempt + 1) + " attempts");
                return;
            }
            try {
                Thread.sleep(RETRY_DELAYS.get(attempt).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void stop() {
        deliveries.shutdownNow();
    }
}
