package org.dsvmpools.onboarding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;

/**
 * Reads one event as the Event Grid trigger delivers it, in either schema: EventGridEvent ({@code eventType},
 * {@code eventTime}, {@code data}) or CloudEvents 1.0 ({@code specversion}, {@code type}, {@code time},
 * {@code data}). Custom events carry {@code {pool, user}}; Microsoft Graph's group change names the group in
 * {@code data.resourceData.id} (or {@code data.resource}: {@code Groups/<id>}).
 */
public final class RosterEvents {
    public static final String USER_ADDED = "DsvmPools.UserAdded";
    public static final String USER_REMOVED = "DsvmPools.UserRemoved";
    public static final String GROUP_UPDATED = "Microsoft.Graph.GroupUpdated";
    /** Graph's lifecycle notices through Event Grid, such as Microsoft.Graph.SubscriptionReauthorizationRequired. */
    public static final String SUBSCRIPTION_EVENTS = "Microsoft.Graph.Subscription";
    private static final ObjectMapper JSON = new ObjectMapper();

    private RosterEvents() {
    }

    /**
     * How far ahead of its delivery an event's time may be: clocks disagree by seconds, not by years, and an event
     * from the future would rule its user forever, since only a newer change overrides it (#27).
     */
    public static final java.time.Duration MAX_AHEAD = java.time.Duration.ofMinutes(5);

    /** @param receivedAt when the event was delivered: a CloudEvent without {@code time} took place then */
    public static RosterEvent read(String text, Instant receivedAt) {
        JsonNode event;
        try {
            event = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return new RosterEvent.Malformed("?", "not JSON: " + e.getOriginalMessage());
        }
        if (event == null || !event.isObject()) {
            return new RosterEvent.Malformed("?", "an event must be a JSON object");
        }
        boolean cloudEvent = event.has("specversion");
        String id = event.path("id").asText("");
        if (id.isBlank()) {
            return new RosterEvent.Malformed("?", "the event has no id");
        }
        String type = event.path(cloudEvent ? "type" : "eventType").asText("");
        String timeField = cloudEvent ? "time" : "eventTime";
        // CloudEvents 1.0 makes "time" optional; Event Grid's own schema requires eventTime.
        Optional<Instant> time = cloudEvent && event.path("time").isMissingNode() ? Optional.of(receivedAt)
                : time(event.path(timeField));
        if (time.isEmpty()) {
            return new RosterEvent.Malformed(id, "'" + timeField + "' must be an ISO-8601 time");
        }
        if (time.get().isAfter(receivedAt.plus(MAX_AHEAD))) {
            return new RosterEvent.Malformed(id, "'" + timeField + "' is " + time.get() + ", more than "
                    + MAX_AHEAD.toMinutes() + " minutes after the event was received (" + receivedAt + ")");
        }
        JsonNode data = event.path("data");
        return switch (type) {
            case USER_ADDED -> userAdded(id, time.get(), data);
            case USER_REMOVED -> userRemoved(id, time.get(), data);
            case GROUP_UPDATED -> groupUpdated(id, time.get(), data);
            default -> type.startsWith(SUBSCRIPTION_EVENTS) ? lifecycle(id, time.get(), type, data)
                    : new RosterEvent.Ignored(id, type);
        };
    }

    private static RosterEvent userAdded(String id, Instant time, JsonNode data) {
        Optional<PoolName> pool = pool(data);
        if (pool.isEmpty()) {
            return new RosterEvent.Malformed(id, "data.pool must be a pool name");
        }
        NewUserJson.Result user = NewUserJson.read(data.path("user"), "/data/user");
        if (!user.isValid()) {
            return new RosterEvent.Malformed(id, user.errors().stream().map(e -> e.pointer() + " " + e.message())
                    .collect(Collectors.joining("; ")));
        }
        return new RosterEvent.UserAdded(id, time, pool.get(), user.user());
    }

    /** A removal names the user, or gives the email the name was derived from. */
    private static RosterEvent userRemoved(String id, Instant time, JsonNode data) {
        Optional<PoolName> pool = pool(data);
        if (pool.isEmpty()) {
            return new RosterEvent.Malformed(id, "data.pool must be a pool name");
        }
        JsonNode user = data.path("user");
        Optional<LinuxUserName> name;
        if (user.hasNonNull("name")) {
            String given = user.path("name").asText();
            name = LinuxUserName.problem(given).isEmpty() ? Optional.of(new LinuxUserName(given)) : Optional.empty();
        } else {
            name = UserNames.fromEmail(user.path("email").asText(null));
        }
        return name.<RosterEvent>map(n -> new RosterEvent.UserRemoved(id, time, pool.get(), n))
                .orElseGet(() -> new RosterEvent.Malformed(id, "data.user must give a valid name or email"));
    }

    private static RosterEvent groupUpdated(String id, Instant time, JsonNode data) {
        String group = data.path("resourceData").path("id").asText("");
        if (group.isEmpty() && data.path("resource").asText("").startsWith("Groups/")) {
            group = data.path("resource").asText().substring("Groups/".length());
        }
        if (!group.matches("[0-9a-fA-F-]{36}")) {
            return new RosterEvent.Malformed(id, "the group change names no group id");
        }
        return new RosterEvent.GroupUpdated(id, time, group.toLowerCase(java.util.Locale.ROOT));
    }

    /** The notice is in {@code data.lifecycleEvent}; the type says it too, for a notice that lacks the field. */
    private static RosterEvent lifecycle(String id, Instant time, String type, JsonNode data) {
        String subscription = data.path("subscriptionId").asText("");
        if (subscription.isBlank()) {
            return new RosterEvent.Malformed(id, "the subscription notice names no subscription");
        }
        String notice = data.path("lifecycleEvent").asText("");
        if (notice.isBlank()) {
            String suffix = type.substring(SUBSCRIPTION_EVENTS.length());
            notice = suffix.startsWith("Reauthorization") ? "reauthorizationRequired"
                    : suffix.startsWith("Removed") ? "subscriptionRemoved" : suffix.startsWith("Missed") ? "missed" : suffix;
        }
        Matcher group = java.util.regex.Pattern.compile("(?i)groups/([0-9a-f-]{36})")
                .matcher(data.path("resource").asText(""));
        return new RosterEvent.SubscriptionLifecycle(id, time, subscription, notice,
                group.find() ? group.group(1).toLowerCase(java.util.Locale.ROOT) : null);
    }

    private static Optional<PoolName> pool(JsonNode data) {
        String pool = data.path("pool").asText("");
        return PoolName.problem(pool).isEmpty() ? Optional.of(new PoolName(pool)) : Optional.empty();
    }

    private static Optional<Instant> time(JsonNode node) {
        try {
            return Optional.of(java.time.OffsetDateTime.parse(node.asText("")).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
