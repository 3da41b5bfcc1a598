package org.dsvmpools.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How many free seats to keep for the next users. Only in work hours: at night one user does not need a second
 * VM waiting beside them. The pool's {@code seatHeadroom} is the most it keeps; how many it keeps follows the
 * arrivals: one seat per user who logged in within the last {@link #WINDOW}, and at least one. In the morning
 * ramp that is the whole headroom, in a quiet afternoon one seat. An agent that does not say when sessions began
 * gives no arrival rate, and then the whole headroom is kept.
 */
final class Headroom {
    /** Long enough to see a ramp, short enough to see it end. */
    static final Duration WINDOW = Duration.ofMinutes(30);

    private Headroom() {
    }

    static int seats(ScalingConfig config, boolean workTime, List<Instance> instances,
                     Map<String, UsageReport> reports, Instant now) {
        if (!workTime) {
            return 0;
        }
        Set<String> arrived = new TreeSet<>();
        for (Instance instance : instances) {
            UsageReport report = reports.get(instance.id());
            if (instance.power() != PowerState.Running || report == null) {
                continue;
            }
            for (UsageReport.Session session : report.sessions()) {
                if (session.since() == null) {
                    return config.seatHeadroom();
                }
                if (session.since().isAfter(now.minus(WINDOW))) {
                    arrived.add(session.user());
                }
            }
        }
        return Math.min(config.seatHeadroom(), Math.max(1, arrived.size()));
    }
}
