package org.dsvmpools.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which sessions began and ended between an instance's previous report and this one. A user who appears begins
 * a session (at their terminal's login time when the agent gives one, else now); one who is gone ended it when
 * last seen. Reports further apart than {@link #GAP} (the instance was stopped, its agent was down) end every
 * session of the earlier one and begin every session of this one: nobody is taken to have stayed through it.
 */
public final class SessionChanges {
    /** The agent reports every minute; ten minutes without one is a stop, not a late report. */
    static final Duration GAP = Duration.ofMinutes(10);

    private SessionChanges() {
    }

    /** @param at when the session began or ended */
    public record Change(String user, Instant at, boolean began) {
    }

    /** @param previous the instance's report before {@code current}, or null for its first */
    public static List<Change> between(UsageReport previous, UsageReport current) {
        if (previous != null && !current.reportedAt().isAfter(previous.reportedAt())) {
            return List.of(); // a late or repeated report changes nothing
        }
        boolean gap = previous != null && Duration.between(previous.reportedAt(), current.reportedAt())
                .compareTo(GAP) > 0;
        Set<String> before = previous == null ? Set.of() : users(previous).keySet();
        Map<String, Instant> now = users(current);
        List<Change> changes = new ArrayList<>();
        for (String user : before) {
            if (gap || !now.containsKey(user)) {
                changes.add(new Change(user, previous.reportedAt(), false));
            }
        }
        now.forEach((user, since) -> {
            if (gap || !before.contains(user)) {
                changes.add(new Change(user, since, true));
            }
        });
        return Collections.unmodifiableList(changes);
    }

    /** Each user once, with the earliest login time the report gives (else its own time). */
    private static Map<String, Instant> users(UsageReport report) {
        Map<String, Instant> users = new LinkedHashMap<>();
        for (UsageReport.Session session : report.sessions()) {
            Instant since = session.since() != null && !session.since().isAfter(report.reportedAt())
                    ? session.since() : report.reportedAt();
            users.merge(session.user(), since, (a, b) -> a.isBefore(b) ? a : b);
        }
        return users;
    }
}
