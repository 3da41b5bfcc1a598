package org.dsvmpools.pool;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The wire form of a {@link WorkItem}: {@code {"v":1,"kind":"provision","pool":"ml-team","generation":1}}. */
public final class WorkItemJson {
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
        return node.toString();
    }
}
