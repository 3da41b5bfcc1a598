package org.dsvmpools.scaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.WorkItemJson;

/** The wire form of a {@link WakeRequest} on the {@code pool-wakes} queue: {@code {"v":1,"pool":"ml-team","seats":4}}. */
public final class WakeRequestJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private WakeRequestJson() {
    }

    public static String write(WakeRequest request) {
        return JSON.createObjectNode().put("v", 1).put("pool", request.pool().value()).put("seats", request.seats())
                .toString();
    }

    public static WakeRequest read(String message) {
        JsonNode node;
        try {
            node = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw new WorkItemJson.UnreadableMessageException("wake request is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject() || node.path("v").asInt() != 1) {
            throw new WorkItemJson.UnreadableMessageException("wake request must be a JSON object with v 1");
        }
        String pool = node.path("pool").asText("");
        Optional<String> problem = PoolName.problem(pool);
        if (problem.isPresent()) {
            throw new WorkItemJson.UnreadableMessageException("wake request's 'pool' " + problem.get());
        }
        if (!node.path("seats").canConvertToInt() || node.path("seats").asInt() < 1) {
            throw new WorkItemJson.UnreadableMessageException("wake request's 'seats' must be a whole number of at"
                    + " least 1");
        }
        return new WakeRequest(new PoolName(pool), node.path("seats").asInt());
    }
}
