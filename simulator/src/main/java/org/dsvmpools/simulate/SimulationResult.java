package org.dsvmpools.simulate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a policy cost on a trace, and who waited. Waits are from a session's start in the trace until the user
 * had a seat; {@code interruptedSessions} counts sessions whose VM was stopped under them. {@code weeks} splits
 * the figures into the 7-day spans from the trace's first day (UTC): a policy that learns shows its first week
 * apart from the rest.
 */
public record SimulationResult(String policy, double instanceHours, double cost, int sessions, int waitedSessions,
                               double p50WaitSeconds, double p95WaitSeconds, double maxWaitSeconds,
                               double costVsOracle, int interruptedSessions, List<Week> weeks) {

    /** One 7-day span: the sessions that began in it, those that waited, and what its instance time cost. */
    public record Week(LocalDate start, int sessions, int waitedSessions, double p95WaitSeconds, double cost,
                       double costVsOracle) {
    }

    SimulationResult relativeTo(SimulationResult oracle) {
        List<Week> relative = new ArrayList<>();
        for (int i = 0; i < weeks.size(); i++) {
            Week week = weeks.get(i);
            double base = i < oracle.weeks().size() ? oracle.weeks().get(i).cost() : 0;
            relative.add(new Week(week.start(), week.sessions(), week.waitedSessions(), week.p95WaitSeconds(),
                    week.cost(), base == 0 ? 0 : week.cost() / base));
        }
        return new SimulationResult(policy, instanceHours, cost, sessions, waitedSessions, p50WaitSeconds,
                p95WaitSeconds, maxWaitSeconds, oracle.cost() == 0 ? 0 : cost / oracle.cost(), interruptedSessions,
                relative);
    }

    double waitedShare() {
        return sessions == 0 ? 0 : (double) waitedSessions / sessions;
    }
}
