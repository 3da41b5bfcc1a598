package org.dsvmpools.scaling;

import java.util.Map;
import org.dsvmpools.pool.PoolName;

/** The latest usage report of each instance of a pool, as the agents sent them. */
public interface UsageReports {

    /** By instance id. */
    Map<String, UsageReport> latest(PoolName pool);

    /**
     * Keeps {@code report} as its instance's latest, unless a newer one is stored already.
     *
     * @return the instance's report that was stored before (read anyway, to compare), if any
     */
    java.util.Optional<UsageReport> record(PoolName pool, UsageReport report);

    /** Counts a report that claimed {@code pool} but came from another principal. */
    void rejected(PoolName pool, String reason, java.time.Instant at);

    Rejections rejections(PoolName pool);
}
