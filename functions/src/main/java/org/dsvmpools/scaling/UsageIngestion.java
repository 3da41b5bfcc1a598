package org.dsvmpools.scaling;

import java.time.Clock;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;

/**
 * Stores an agent's report as its instance's latest, for pools that exist and are not being torn down; reports
 * for anything else are dropped with the reason, since a VM of a deleted pool may still be shutting down.
 */
public final class UsageIngestion {
    private final PoolRepository repository;
    private final UsageReports reports;
    private final Clock clock;

    public UsageIngestion(PoolRepository repository, UsageReports reports, Clock clock) {
        this.repository = repository;
        this.reports = reports;
        this.clock = clock;
    }

    /** @return null when stored, otherwise why the report was dropped */
    public String ingest(String message) {
        UsageReportJson.Received received = UsageReportJson.read(message, clock.instant());
        var pool = repository.find(received.pool());
        if (pool.isEmpty()) {
            return "pool " + received.pool() + " does not exist";
        }
        PoolStatus status = pool.get().pool().status();
        if (status == PoolStatus.Deleting || status == PoolStatus.Deleted) {
            return "pool " + received.pool() + " is " + status;
        }
        reports.record(received.pool(), received.report());
        return null;
    }
}
