package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One stored resource: its ARM document, and the provisioning in flight. The state is computed on read from the
 * clock, so nothing runs in the background and a test sees the same sequence however fast it polls.
 */
final class Resource {
    final String id;
    final String type;
    final String name;
    ObjectNode document;
    String provisioningWhileBusy;
    Instant readyAt;

    Resource(String id, String type, String name, ObjectNode document) {
        this.id = id;
        this.type = type;
        this.name = name;
        this.document = document;
    }

    String provisioningState(Instant now) {
        return readyAt == null || !now.isBefore(readyAt) ? "Succeeded" : provisioningWhileBusy;
    }

    /** The document as ARM returns it now. */
    ObjectNode view(Instant now) {
        ObjectNode view = document.deepCopy();
        view.put("id", id);
        view.put("name", name);
        view.put("type", type);
        ObjectNode properties = view.has("properties") && view.get("properties").isObject()
                ? (ObjectNode) view.get("properties") : view.putObject("properties");
        properties.put("provisioningState", provisioningState(now));
        return view;
    }
}
