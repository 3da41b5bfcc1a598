package org.dsvmpools.scaling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.WorkItemJson;

/**
 * The agent's report as it arrives on the {@code usage-reports} queue:
 * <pre>{"v":1,"pool":"ml-team","instanceId":"0","reportedAt":"...","lastActiveAt":"...","cpuPercent":12.5,
 *  "sessions":[{"user":"alice","lastActivity":"...","since":"..."}],
 *  "kernels":[{"user":"bob","busy":true,"lastActivity":"..."}]}</pre>
 * Everything is checked: a VM is not trusted to send well-formed data, and a bad report is refused with its reason
 * rather than half-read.
 */
public final class UsageReportJson {
    /** A pool has at most 100 instances of 64 users; more entries than this is not a real report. */
    static final int MAX_ENTRIES = 256;
    /** Clocks drift; a report from further in the future than this is refused. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /**
     * The most a report may be, in UTF-8 bytes: 256 entries of about 120 bytes each fit in 32 KiB, so twice that
     * is room for any real report, and nothing larger is read (#27).
     */
    public static final int MAX_BYTES = 64 * 1024;
    private static final Set<String> FIELDS = Set.of("v", "pool", "instanceId", "reportedAt", "lastActiveAt",
            "cpuPercent", "sessions", "kernels");
    /** {@code via}: how the agent saw the session (ssh, tmux, cpu), for people reading the report. */
    private static final Set<String> SESSION_FIELDS = Set.of("user", "lastActivity", "since", "via");
    private static final Set<String> KERNEL_FIELDS = Set.of("user", "busy", "lastActivity");
    private static final ObjectMapper JSON = new ObjectMapper();

    private UsageReportJson() {
    }

    /** A pool and its instance's report. */
    public record Received(PoolName pool, UsageReport report) {
    }

    /** Whether a report is larger than {@link #MAX_BYTES}, before anything reads it. */
    public static boolean tooLarge(String message) {
        return message.length() > MAX_BYTES || message.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    public static Received read(String message, Instant now) {
        if (tooLarge(message)) {
            throw refused("is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw refused("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject() || node.path("v").asInt() != 1) {
            throw refused("must be a JSON object with v 1");
        }
        known(node, FIELDS, "");
        String pool = node.path("pool").asText("");
        Optional<String> poolProblem = PoolName.problem(pool);
        if (poolProblem.isPresent()) {
            throw refused("'pool' " + poolProblem.get());
        }
        String instanceId = node.path("instanceId").asText("");
        if (!instanceId.matches("\\d{1,6}")) {
            throw refused("'instanceId' must be a scale set instance id (digits)");
        }
        Instant reportedAt = instant(node, "reportedAt", "/reportedAt");
        if (reportedAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw refused("'reportedAt' is more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future");
        }
        double cpu = node.path("cpuPercent").asDouble(-1);
        if (cpu < 0 || cpu > 100) {
            throw refused("'cpuPercent' must be 0-100");
        }
        List<UsageReport.Session> sessions = new ArrayList<>();
        for (JsonNode session : entries(node, "sessions")) {
            known(session, SESSION_FIELDS, "/sessions/");
            if (session.has("via") && !session.path("via").asText("").matches("[a-z]{1,16}")) {
                throw refused("'sessions[].via' must be a short lower-case word");
            }
            Instant since = session.hasNonNull("since") ? instant(session, "since", "/sessions/since") : null;
            if (since != null && since.isAfter(reportedAt)) {
                throw refused("'sessions[].since' is after 'reportedAt'");
            }
            sessions.add(new UsageReport.Session(user(session, "sessions"), instant(session, "lastActivity",
                    "/sessions/lastActivity"), since));
        }
        List<UsageReport.Kernel> kernels = new ArrayList<>();
        for (JsonNode kernel : entries(node, "kernels")) {
            known(kernel, KERNEL_FIELDS, "/kernels/");
            if (!kernel.path("busy").isBoolean()) {
                throw refused("'kernels[].busy' must be true or false");
            }
            kernels.add(new UsageReport.Kernel(user(kernel, "kernels"), kernel.path("busy").asBoolean(),
                    instant(kernel, "lastActivity", "/kernels/lastActivity")));
        }
        Instant lastActiveAt = node.hasNonNull("lastActiveAt") ? instant(node, "lastActiveAt", "/lastActiveAt") : null;
        if (lastActiveAt != null && lastActiveAt.isAfter(reportedAt)) {
            throw refused("'lastActiveAt' is after 'reportedAt'");
        }
        return new Received(new PoolName(pool), new UsageReport(instanceId, reportedAt, sessions, kernels, cpu,
                lastActiveAt));
    }

    /** A field the report does not define is refused, not ignored: a VM is not trusted to send data. */
    private static void known(JsonNode node, Set<String> fields, String at) {
        if (!node.isObject()) {
            throw refused("'" + (at.isEmpty() ? "" : at.substring(1, at.length() - 1) + "[]") + "' must be an object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!fields.contains(name)) {
                throw refused("has an unknown field " + at + name);
            }
        });
    }

    private static JsonNode entries(JsonNode node, String field) {
        JsonNode array = node.path(field);
        if (array.isMissingNode()) {
            return JSON.createArrayNode();
        }
        if (!array.isArray() || array.size() > MAX_ENTRIES) {
            throw refused("'" + field + "' must be an array of at most " + MAX_ENTRIES + " entries");
        }
        return array;
    }

    private static String user(JsonNode entry, String field) {
        String user = entry.path("user").asText("");
        if (!user.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw refused("'" + field + "[].user' must be a Linux user name");
        }
        return user;
    }

    private static Instant instant(JsonNode node, String field, String pointer) {
        try {
            return Instant.parse(node.path(field).asText(""));
        } catch (DateTimeParseException e) {
            throw refused("'" + pointer.substring(1) + "' must be an ISO-8601 instant");
        }
    }

    private static WorkItemJson.UnreadableMessageException refused(String reason) {
        return new WorkItemJson.UnreadableMessageException("usage report " + reason);
    }
}
