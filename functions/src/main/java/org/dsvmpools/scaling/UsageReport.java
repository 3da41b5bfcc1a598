package org.dsvmpools.scaling;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What an instance's agent last reported: who is connected over SSH and to JupyterHub, and which kernels are
 * busy. A kernel that computes without printing anything is busy by the Jupyter API's execution state, which is
 * why the agent asks the API instead of watching traffic as JupyterHub's culler does.
 *
 * @param lastActiveAt the newest activity the agent has seen since the instance booted, sessions since ended
 *                     included, or null when it has seen none: how long an instance everybody left has been idle
 */
public record UsageReport(String instanceId, Instant reportedAt, List<Session> sessions, List<Kernel> kernels,
                          double cpuPercent, Instant lastActiveAt) {
    public UsageReport {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(reportedAt, "reportedAt");
        sessions = List.copyOf(sessions);
        kernels = List.copyOf(kernels);
    }

    /**
     * An SSH session or a JupyterHub server, with the last input or activity seen.
     *
     * @param since when it began, or null when the agent does not say: how fast people are arriving
     */
    public record Session(String user, Instant lastActivity, Instant since) {
        public Session(String user, Instant lastActivity) {
            this(user, lastActivity, null);
        }
    }

    public record Kernel(String user, boolean busy, Instant lastActivity) {
    }
}
