package org.dsvmpools.pool;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The pool document of the API: what {@code GET /api/pools/{name}} returns. */
public final class PoolDocuments {
    private PoolDocuments() {
    }

    public static ObjectNode of(Pool pool) {
        ObjectNode document = summary(pool);
        Progress progress = pool.progress();
        if (!progress.resources().isEmpty()) {
            document.set("resources", ProgressJson.resources(progress.resources()));
        }
        if (pool.status() == PoolStatus.Ready && progress.endpoints() != null) {
            document.set("endpoints", ProgressJson.endpoints(progress.endpoints()));
        }
        if (pool.status() == PoolStatus.Failed && progress.failure() != null) {
            document.set("failure", ProgressJson.failure(progress.failure()));
        }
        document.set("events", events(pool.events()));
        return document;
    }

    /** The state history as JSON, oldest first: the API shows it and the table adapter stores it this way. */
    public static ArrayNode events(List<PoolEvent> history) {
        ArrayNode events = JsonNodeFactory.instance.arrayNode();
        for (PoolEvent event : history) {
            events.addObject()
                    .put("time", event.time().toString())
                    .put("status", event.status().name())
                    .put("reason", event.reason())
                    .put("source", event.source().name())
                    .put("kind", event.kind().name());
        }
        return events;
    }

    /** The document without its history, as pool lists show it. */
    public static ObjectNode summary(Pool pool) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("name", pool.name().value());
        document.put("status", pool.status().name());
        document.put("generation", pool.generation());
        document.set("spec", PoolSpecJson.write(pool.spec()));
        document.put("createdAt", pool.createdAt().toString());
        document.put("updatedAt", pool.updatedAt().toString());
        document.putObject("owner").put("id", pool.owner().id()).put("name", pool.owner().name());
        if (pool.purgeData()) {
            document.put("purgeData", true);
        }
        return document;
    }
}
