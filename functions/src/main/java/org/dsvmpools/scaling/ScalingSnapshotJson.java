package org.dsvmpools.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The JSON form of a {@link ScalingSnapshot}: stored, and shown as {@code scaling} in the pool document. */
public final class ScalingSnapshotJson {
    private ScalingSnapshotJson() {
    }

    public static ObjectNode write(ScalingSnapshot snapshot) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("at", snapshot.at().toString())
                .put("summary", snapshot.summary());
        ArrayNode instances = node.putArray("instances");
        for (ScalingSnapshot.InstanceState instance : snapshot.instances()) {
            ObjectNode item = instances.addObject().put("id", instance.id()).put("power", instance.power().name())
                    .put("protectedFromScaleIn", instance.protectedFromScaleIn());
            instance.users().forEach(item.putArray("users")::add);
            if (instance.drainingSince() != null) {
                item.put("drainingSince", instance.drainingSince().toString());
            }
        }
        snapshot.actions().forEach(node.putArray("actions")::add);
        snapshot.warnings().forEach(node.putArray("warnings")::add);
        if (snapshot.forecast() != null) {
            ObjectNode forecast = node.putObject("forecast").put("historyDays", snapshot.forecast().historyDays());
            ArrayNode next = forecast.putArray("next");
            for (ScalingSnapshot.Forecast.Slot slot : snapshot.forecast().next()) {
                next.addObject().put("at", slot.at().toString()).put("users", slot.users())
                        .put("arrivals", slot.arrivals());
            }
        }
        if (snapshot.failure() != null) {
            ObjectNode failure = node.putObject("failure").put("reason", snapshot.failure().reason())
                    .put("since", snapshot.failure().since().toString());
            if (snapshot.failure().retryAt() != null) {
                failure.put("retryAt", snapshot.failure().retryAt().toString());
            }
        }
        if (snapshot.metered() != null) {
            node.putObject("metered").put("month", snapshot.metered().month().toString())
                    // Unrounded: it is stored and added to every minute, and rounding each time would drift.
                    .put("instanceHours", snapshot.metered().instanceHours())
                    .put("countedTo", snapshot.metered().countedTo().toString());
        }
        return node;
    }

    public static ScalingSnapshot read(JsonNode node) {
        List<ScalingSnapshot.InstanceState> instances = new ArrayList<>();
        for (JsonNode item : node.path("instances")) {
            List<String> users = new ArrayList<>();
            item.path("users").forEach(user -> users.add(user.asText()));
            instances.add(new ScalingSnapshot.InstanceState(item.path("id").asText(),
                    PowerState.valueOf(item.path("power").asText()), item.path("protectedFromScaleIn").asBoolean(),
                    users, item.hasNonNull("drainingSince") ? Instant.parse(item.path("drainingSince").asText())
                    : null));
        }
        ScalingSnapshot.Forecast forecast = null;
        if (node.has("forecast")) {
            List<ScalingSnapshot.Forecast.Slot> next = new ArrayList<>();
            for (JsonNode slot : node.path("forecast").path("next")) {
                next.add(new ScalingSnapshot.Forecast.Slot(Instant.parse(slot.path("at").asText()),
                        slot.path("users").asInt(), slot.path("arrivals").asDouble()));
            }
            forecast = new ScalingSnapshot.Forecast(node.path("forecast").path("historyDays").asInt(), next);
        }
        ScalingSnapshot.Failure failure = null;
        if (node.hasNonNull("failure")) {
            JsonNode f = node.path("failure");
            failure = new ScalingSnapshot.Failure(f.path("reason").asText(), Instant.parse(f.path("since").asText()),
                    f.hasNonNull("retryAt") ? Instant.parse(f.path("retryAt").asText()) : null);
        }
        Metered metered = null;
        if (node.hasNonNull("metered")) {
            JsonNode m = node.path("metered");
            metered = new Metered(java.time.YearMonth.parse(m.path("month").asText()), m.path("instanceHours").asDouble(),
                    Instant.parse(m.path("countedTo").asText()));
        }
        return new ScalingSnapshot(Instant.parse(node.path("at").asText()), node.path("summary").asText(), instances,
                texts(node.path("actions")), texts(node.path("warnings")), forecast, failure, metered);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
