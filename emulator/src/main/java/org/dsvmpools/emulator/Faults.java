package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Injected faults, seeded so a failing run can be replayed. A rule matches a request by method and by a
 * substring of its path or its resource type, and then answers with 429 (with Retry-After), 500, 503, a named
 * ARM error, or only adds latency; {@code fraction} says how often (1 = always), {@code count} how many times
 * at most.
 */
final class Faults {
    record Rule(String method, String match, String kind, double fraction, int status, String code,
                int retryAfterSeconds, long latencyMillis, int count) {
    }

    record Fault(int status, String code, String message, int retryAfterSeconds, long latencyMillis) {
    }

    private final List<Rule> rules = new ArrayList<>();
    private final List<Integer> fired = new ArrayList<>();
    private Random random = new Random(1);

    synchronized void configure(JsonNode config) {
        rules.clear();
        fired.clear();
        random = new Random(config.path("seed").asLong(1));
        for (JsonNode rule : config.path("rules")) {
            String kind = rule.path("kind").asText("error");
            rules.add(new Rule(rule.path("method").asText("*").toUpperCase(Locale.ROOT), rule.path("match").asText(""),
                    kind, rule.path("fraction").asDouble(1.0), rule.path("status").asInt(defaultStatus(kind)),
                    rule.path("code").asText(defaultCode(kind)), rule.path("retryAfterSeconds").asInt(1),
                    rule.path("latencyMillis").asLong(0), rule.path("count").asInt(Integer.MAX_VALUE)));
            fired.add(0);
        }
    }

    private static int defaultStatus(String kind) {
        return switch (kind) {
            case "throttle" -> 429;
            case "unavailable" -> 503;
            case "internal" -> 500;
            default -> 409;
        };
    }

    private static String defaultCode(String kind) {
        return switch (kind) {
            case "throttle" -> "TooManyRequests";
            case "unavailable" -> "ServiceUnavailable";
            case "internal" -> "InternalServerError";
            default -> "OperationNotAllowed";
        };
    }

    /** The fault for this request, if a rule fires. */
    synchronized Optional<Fault> check(String method, String path, String resourceType) {
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            boolean methodMatches = rule.method().equals("*") || rule.method().equals(method);
            String match = rule.match().toLowerCase(Locale.ROOT);
            boolean targetMatches = path.toLowerCase(Locale.ROOT).contains(match)
                    || (resourceType != null && resourceType.equalsIgnoreCase(rule.match()));
            if (!methodMatches || !targetMatches || fired.get(i) >= rule.count()
                    || random.nextDouble() >= rule.fraction()) {
                continue;
            }
            fired.set(i, fired.get(i) + 1);
            if (rule.kind().equals("latency")) {
                return Optional.of(new Fault(0, null, null, 0, rule.latencyMillis()));
            }
            return Optional.of(new Fault(rule.status(), rule.code(), "injected fault (" + rule.kind() + ")",
                    rule.retryAfterSeconds(), rule.latencyMillis()));
        }
        return Optional.empty();
    }
}
