package org.dsvmpools.simulate;

/**
 * What a policy cost on a trace, and who waited. Waits are from a session's start in the trace until the user
 * had a seat; {@code interruptedSessions} counts sessions whose VM was stopped under them.
 */
public record SimulationResult(String policy, double instanceHours, double cost, int sessions, int waitedSessions,
                               double p50WaitSeconds, double p95WaitSeconds, double maxWaitSeconds,
                               double costVsOracle, int interruptedSessions) {

    SimulationResult relativeTo(double oracleCost) {
        return new SimulationResult(policy, instanceHours, cost, sessions, waitedSessions, p50WaitSeconds,
                p95WaitSeconds, maxWaitSeconds, oracleCost == 0 ? 0 : cost / oracleCost, interruptedSessions);
    }

    double waitedShare() {
        return sessions == 0 ? 0 : (double) waitedSessions / sessions;
    }
}
