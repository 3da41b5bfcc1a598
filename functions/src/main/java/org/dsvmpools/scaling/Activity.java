package org.dsvmpools.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * How busy one running instance is, judged from its agent's last report.
 *
 * @param busy         someone works on it (a session active within the idle timeout, or a busy kernel), or its
 *                     agent has been silent for less than the grace period
 * @param users        who is active on it
 * @param idleSince    since when nobody has been active on it (meaningful when not busy)
 * @param warning      why the judgement is uncertain (a silent agent), or null
 */
record Activity(boolean busy, Set<String> users, Instant idleSince, String warning) {
    /** An agent reports every minute; three missed reports make it silent. */
    static final Duration SILENT_AFTER = Duration.ofMinutes(3);

    static Activity of(Instance instance, UsageReport report, ScalingConfig config, Instant now) {
        if (report == null) {
            return unreported(instance, config, now);
        }
        if (Duration.between(report.reportedAt(), now).compareTo(SILENT_AFTER) > 0) {
            return silent(instance, report, config, now);
        }
        Activity reported = fromReport(report, config, now);
        // An instance just started (by a wake, say) gets the whole idle timeout before it counts as idle.
        return instance.poweredOnAt() == null ? reported : new Activity(reported.busy(), reported.users(),
                later(reported.idleSince(), instance.poweredOnAt()), null);
    }

    private static Activity fromReport(UsageReport report, ScalingConfig config, Instant now) {
        Instant cutoff = now.minus(config.idleTimeout());
        Set<String> users = new TreeSet<>();
        Instant last = report.lastActiveAt() == null ? Instant.EPOCH : report.lastActiveAt();
        for (UsageReport.Session session : report.sessions()) {
            last = later(last, session.lastActivity());
            if (session.lastActivity().isAfter(cutoff)) {
                users.add(session.user());
            }
        }
        for (UsageReport.Kernel kernel : report.kernels()) {
            last = later(last, kernel.lastActivity());
            if (kernel.busy() || kernel.lastActivity().isAfter(cutoff)) {
                users.add(kernel.user());
            }
            if (kernel.busy()) {
                last = now;
            }
        }
        return new Activity(!users.isEmpty(), users, last, null);
    }

    /**
     * An agent that stopped reporting may be on a VM someone works on: busy for twice the idle timeout after its
     * last report, then idle, with a warning either way.
     */
    private static Activity silent(Instance instance, UsageReport report, ScalingConfig config, Instant now) {
        Instant graceEnds = report.reportedAt().plus(config.silenceGrace());
        Activity lastKnown = fromReport(report, config, report.reportedAt());
        String warning = "agent on instance " + instance.id() + " silent since " + report.reportedAt();
        return now.isBefore(graceEnds)
                ? new Activity(true, lastKnown.users(), report.reportedAt(), warning + "; counted busy until "
                + graceEnds)
                : new Activity(false, Set.of(), report.reportedAt(), warning + "; counted idle");
    }

    private static Activity unreported(Instance instance, ScalingConfig config, Instant now) {
        if (instance.poweredOnAt() == null) {
            return new Activity(true, Set.of(), now, "agent on instance " + instance.id()
                    + " has not reported and its start time is unknown; counted busy");
        }
        Instant graceEnds = instance.poweredOnAt().plus(config.silenceGrace());
        String warning = "agent on instance " + instance.id() + " has not reported since the instance started at "
                + instance.poweredOnAt();
        return now.isBefore(graceEnds)
                ? new Activity(true, Set.of(), instance.poweredOnAt(), null)
                : new Activity(false, Set.of(), instance.poweredOnAt(), warning + "; counted idle");
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
