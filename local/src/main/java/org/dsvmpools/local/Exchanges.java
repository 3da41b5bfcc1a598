package org.dsvmpools.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What every endpoint of the host does with an exchange: parse the query, check a key, send a response. */
final class Exchanges {
    private Exchanges() {
    }

    /** What a handler does with one exchange. */
    @FunctionalInterface
    interface Work {
        void run() throws IOException;
    }

    /**
     * Runs {@code work} and closes the exchange. A bug in the host still answers 500 instead of dropping the
     * connection, so a client sees an error rather than a hang or an unexplained reset.
     */
    static void serve(HttpExchange exchange, String what, Work work) throws IOException {
        try (exchange) {
            try {
                work.run();
            } catch (RuntimeException e) {
                System.err.println("local host: " + what + " failed: " + e);
                if (exchange.getResponseCode() == -1) {
                    sendText(exchange, 500, "the local host failed: " + e.getMessage());
                }
            }
        }
    }

    /** A key in {@code x-functions-key} or {@code ?code=}, compared in constant time. */
    static boolean hasKey(HttpExchange exchange, Map<String, String> query, String key) {
        String presented = Optional.ofNullable(exchange.getRequestHeaders().getFirst("x-functions-key"))
                .orElse(query.get("code"));
        return presented != null && constantTimeEquals(presented, key);
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                String[] parts = pair.split("=", 2);
                query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    static void sendText(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body,
                     Map<String, String> headers) throws IOException {
        headers.forEach((name, value) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                exchange.getResponseHeaders().set(name, value);
            }
        });
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean noBody = body.length == 0 || status == 204 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
