package org.dsvmpools.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The wire form of a {@link WorkItem}: {@code {"v":1,"kind":"provision","pool":"ml-team","generation":1}}, with
 * {@code "pass"} on the worker's follow-up messages and {@code "purgeData":true} on a purging teardown.
 */
public final class WorkItemJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WorkItemJson() {
    }

    public static String write(WorkItem item) {
        ObjectNode node = JsonNodeFactory.instance.objectNode()
                .put("v", item.version())
                .put("kind", item.kind().name())
                .put("pool", item.pool().value())
                .put("generation", item.generation());
        if (item.purgeData()) {
            node.put("purgeData", true);
        }
        if (item.pass() > 0) {
            node.put("pass", item.pass());
        }
        return node.toString();
    }

    /** Reads a message, or says exactly what is wrong with it. */
    public static WorkItem read(String message) {
        JsonNode node;
        try {
            node = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw new UnreadableMessageException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new UnreadableMessageException("not a JSON object");
        }
        int version = node.path("v").asInt(-1);
        if (version != WorkItem.VERSION) {
            throw new UnreadableMessageException("version 'v' must be " + WorkItem.VERSION + ", was " + node.get("v"));
        }
        WorkItem.Kind kind = kind(node.path("kind").asText(""));
        String pool = node.path("pool").asText("");
        Optional<String> nameProblem = PoolName.problem(pool);
        if (nameProblem.isPresent()) {
            throw new UnreadableMessageException("'pool' " + nameProblem.get());
        }
        if (!node.path("generation").canConvertToLong() || node.path("generation").asLong() < 1) {
            throw new UnreadableMessageException("'generation' must be a whole number of at least 1");
        }
        return new WorkItem(version, kind, new PoolName(pool), node.path("generation").asLong(),
                node.path("purgeData").asBoolean(false), node.path("pass").asLong(0));
    }

    private static WorkItem.Kind kind(String text) {
        for (WorkItem.Kind kind : WorkItem.Kind.values()) {
            if (kind.name().equals(text)) {
                return kind;
            }
        }
        throw new UnreadableMessageException("'kind' must be provision or teardown, was '" + text + "'");
    }

    /** A message that is not a work item: the reason says why, for the log and the poison queue. */
    public static final class UnreadableMessageException extends RuntimeException {
        public UnreadableMessageException(String reason) {
            super("unreadable pool request: " + reason);
        }
    }
}
