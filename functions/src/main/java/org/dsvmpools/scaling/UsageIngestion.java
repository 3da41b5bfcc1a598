package org.dsvmpools.scaling;

import java.time.Clock;
import java.util.Optional;
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
    private final SessionLog sessions;

    public UsageIngestion(PoolRepository repository, UsageReports reports, Clock clock) {
        this(repository, reports, clock, SessionLog.NONE);
    }

    /** @param sessions where the sessions the reports show begin and end */
    public UsageIngestion(PoolRepository repository, UsageReports reports, Clock clock, SessionLog sessions) {
        this.repository = repository;
        this.reports = reports;
        this.clock = clock;
        this.sessions = sessions;
    }

    /** What became of a report from a known sender. */
    public sealed interface Outcome {
        record Stored() implements Outcome {
        }

        /**
         * It claimed a pool whose instances are not its sender: counted on that pool with {@code recorded}; the
         * sender is told {@code answer}, which names nobody's principal.
         */
        record Refused(String recorded, String answer) implements Outcome {
        }

        /** Its pool does not exist or is going away. */
        record Dropped(String reason) implements Outcome {
        }
    }

    /**
     * A report from a known sender ({@code sender}: the principal its token named): stored only when that is the
     * identity of the instances of the pool the report names. Anything else is refused and counted on the pool it
     * claimed: a VM speaks for its own pool only.
     */
    public Outcome ingestFrom(String message, String sender, ReportSenders senders) {
        UsageReportJson.Received received = UsageReportJson.read(message, clock.instant());
        var pool = repository.find(received.pool());
        if (pool.isEmpty()) {
            return new Outcome.Dropped("pool " + received.pool() + " does not exist");
        }
        Optional<String> expected = senders.of(pool.get().pool());
        if (expected.isEmpty() || !expected.get().equalsIgnoreCase(sender)) {
            // Recorded for the pool's readers with the sender's principal (who to look for), never the expected
            // one; the sender is told neither.
            String reason = "a report for pool " + received.pool() + " came from principal " + sender + ", not from "
                    + (expected.isPresent() ? "its instances' identity" : "its instances (none recorded yet)");
            reports.rejected(received.pool(), reason, clock.instant());
            return new Outcome.Refused(reason, "this token's principal is not the identity of the instances of"
                    + " pool " + received.pool());
        }
        return store(received, pool.get().pool().status());
    }

    /**
     * A report on the usage queue while reports come over HTTPS with the instances' tokens: not stored, since any
     * pool's VM could have put it there; counted on the pool it names when it names one (#27).
     *
     * @return why it was refused
     */
    public String refuseQueued(String message) {
        String reason = "a report arrived on the usage queue, which is off while reports come over HTTPS with the"
                + " instances' tokens";
        try {
            reports.rejected(UsageReportJson.read(message, clock.instant()).pool(), reason, clock.instant());
        } catch (org.dsvmpools.pool.WorkItemJson.UnreadableMessageException unreadable) {
            return reason + "; and " + unreadable.getMessage();
        }
        return reason;
    }

    /** A report from the queue, whose sender nobody vouches for: stored or dropped, as one value (#30). */
    public Outcome ingest(String message) {
        UsageReportJson.Received received = UsageReportJson.read(message, clock.instant());
        var pool = repository.find(received.pool());
        if (pool.isEmpty()) {
            return new Outcome.Dropped("pool " + received.pool() + " does not exist");
        }
        return store(received, pool.get().pool().status());
    }

    private Outcome store(UsageReportJson.Received received, PoolStatus status) {
        if (status == PoolStatus.Deleting || status == PoolStatus.Deleted) {
            return new Outcome.Dropped("pool " + received.pool() + " is " + status);
        }
        UsageReport report = received.report();
        UsageReport previous = reports.record(received.pool(), report).orElse(null);
        for (SessionChanges.Change change : SessionChanges.between(previous, report)) {
            if (org.dsvmpools.pool.LinuxUserName.problem(change.user()).isPresent()) {
                continue; // not a name a pool's user can have: the agent saw a system account
            }
            if (change.began()) {
                sessions.began(received.pool(), change.user(), report.instanceId(), change.at());
            } else {
                sessions.ended(received.pool(), change.user(), report.instanceId(), change.at());
            }
        }
        return new Outcome.Stored();
    }
}
