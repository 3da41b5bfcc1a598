package org.dsvmpools.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Event Grid trigger's webhook, as the Functions host serves it at
 * {@code POST /runtime/webhooks/eventgrid?functionName=NAME} (key required):
 * {@code aeg-event-type: SubscriptionValidation} is answered with the validation code; {@code Notification}
 * carries an array or a single event, in the EventGridEvent or the CloudEvents 1.0 schema, and each event is
 * one invocation: 202 when all succeed, 500 when any fails, so Event Grid retries. {@code OPTIONS} answers the
 * CloudEvents abuse-protection handshake.
 */
final class EventGridWebhook implements HttpHandler {
    static final String PATH = "/runtime/webhooks/eventgrid";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, FunctionDefinition> functions;
    private final String key;
    private final Invoker invoker;

    EventGridWebhook(List<FunctionDefinition> all, String key, Invoker invoker) {
        this.functions = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.stream().filter(f -> f.trigger() instanceof FunctionDefinition.EventGridTriggerDef)
                .forEach(f -> functions.put(f.name(), f));
        this.key = key;
        this.invoker = invoker;
    }

    List<String> functionNames() {
        return List.copyOf(functions.keySet());
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Exchanges.serve(exchange, "Event Grid webhook", () -> serve(exchange));
    }

    private void serve(HttpExchange exchange) throws IOException {
        if (exchange.getRequestMethod().equals("OPTIONS")) {
            handshake(exchange);
        } else if (exchange.getRequestMethod().equals("POST")) {
            deliver(exchange);
        } else {
            Exchanges.send(exchange, 405, "text/plain", new byte[0], Map.of("Allow", "POST, OPTIONS"));
        }
    }

    private static void handshake(HttpExchange exchange) throws IOException {
        String origin = exchange.getRequestHeaders().getFirst("WebHook-Request-Origin");
        if (origin == null) {
            Exchanges.sendText(exchange, 400, "WebHook-Request-Origin header is required");
            return;
        }
        Exchanges.send(exchange, 200, "text/plain", new byte[0],
                Map.of("WebHook-Allowed-Origin", origin, "WebHook-Allowed-Rate", "*"));
    }

    private void deliver(HttpExchange exchange) throws IOException {
        Map<String, String> query = Exchanges.query(exchange.getRequestURI());
        if (!Exchanges.hasKey(exchange, query, key)) {
            Exchanges.sendText(exchange, 401, "the system key is required (code=)");
            return;
        }
        FunctionDefinition function = functions.get(query.getOrDefault("functionName", ""));
        if (function == null) {
            Exchanges.sendText(exchange, 404, "no Event Grid function named '" + query.get("functionName") + "'");
            return;
        }
        String eventType = exchange.getRequestHeaders().getFirst("aeg-event-type");
        if (eventType == null) {
            Exchanges.sendText(exchange, 400, "aeg-event-type header is required");
            return;
        }
        Optional<List<JsonNode>> events = events(exchange.getRequestBody().readAllBytes());
        if (events.isEmpty()) {
            Exchanges.sendText(exchange, 400, "the body must be an event or an array of events");
            return;
        }
        if (eventType.equals("SubscriptionValidation")) {
            String code = events.get().isEmpty() ? "" : events.get().get(0).path("data").path("validationCode").asText();
            Exchanges.sendJson(exchange, 200, JSON.createObjectNode().put("validationResponse", code).toString());
            return;
        }
        if (!eventType.equals("Notification")) {
            Exchanges.sendText(exchange, 202, "");
            return;
        }
        int failed = 0;
        for (JsonNode event : events.get()) {
            try {
                invoker.invoke(function, event.toString(), Map.of());
            } catch (Exception e) {
                failed++;
                System.err.println("local host: " + function.name() + " failed on event "
                        + event.path("id").asText() + ": " + e);
            }
        }
        Exchanges.sendText(exchange, failed == 0 ? 202 : 500,
                failed == 0 ? "" : failed + " of " + events.get().size() + " events failed");
    }

    /** The events of a body that is one event object or an array of them. */
    static Optional<List<JsonNode>> events(byte[] body) {
        try {
            JsonNode root = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            if (root == null) {
                return Optional.empty();
            }
            if (root.isObject()) {
                return Optional.of(List.of(root));
            }
            if (root.isArray()) {
                List<JsonNode> events = new java.util.ArrayList<>();
                for (JsonNode event : root) {
                    if (!event.isObject()) {
                        return Optional.empty();
                    }
                    events.add(event);
                }
                return Optional.of(events);
            }
            return Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
