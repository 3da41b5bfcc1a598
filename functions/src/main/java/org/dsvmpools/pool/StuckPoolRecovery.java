package org.dsvmpools.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves on pools whose work message was lost: a crash or a queue outage between storing a record and sending its
 * message leaves a pool in {@code Accepted} (or {@code Deleting}) that no message will ever move, and a worker
 * that could not even mark its pool Failed leaves it in {@code Provisioning}. The worker records every pass, so
 * a pool it works on never looks unchanged for long. A pool that has
 * not changed for {@code stuckAfter} gets its current work sent again, with an event saying so.
 *
 * <p>Sending again is safe: messages carry the pool's generation and the worker ignores work it has already
 * done, so a message that was merely slow costs one no-op.
 */
public final class StuckPoolRecovery {
    private static final List<PoolStatus> WAITING_FOR_WORKER =
            List.of(PoolStatus.Accepted, PoolStatus.Provisioning, PoolStatus.Deleting);

    private final PoolRepository repository;
    private final WorkQueue queue;
    private final Clock clock;
    private final Duration stuckAfter;

    public StuckPoolRecovery(PoolRepository repository, WorkQueue queue, Clock clock, Duration stuckAfter) {
        this.repository = repository;
        this.queue = queue;
        this.clock = clock;
        this.stuckAfter = stuckAfter;
    }

    /** What one recovery pass did. */
    public record Report(List<PoolName> resent, List<PoolName> failed) {
        public Report {
            resent = List.copyOf(resent);
            failed = List.copyOf(failed);
        }
    }

    /** Resends the work of every stuck pool; one pool's failure does not stop the others. */
    public Report recover() {
        Instant now = clock.instant();
        List<PoolName> resent = new ArrayList<>();
        List<PoolName> failed = new ArrayList<>();
        for (PoolStatus status : WAITING_FOR_WORKER) {
            for (StoredPool stored : repository.findUnchangedSince(status, now.minus(stuckAfter))) {
                switch (resend(stored, now)) {
                    case SENT -> resent.add(stored.pool().name());
                    case FAILED -> failed.add(stored.pool().name());
                    case CHANGED_MEANWHILE -> { }
                }
            }
        }
        return new Report(resent, failed);
    }

    private enum Outcome { SENT, FAILED, CHANGED_MEANWHILE }

    /**
     * Records the resend first: if two recoveries race, only the one whose conditional write wins sends, and a
     * crash after the write leaves the pool to be found again after another {@code stuckAfter}.
     */
    private Outcome resend(StoredPool stored, Instant now) {
        Pool pool = stored.pool();
        Pool noted = pool.note(PoolEvent.Source.recovery, PoolEvent.Kind.action, "No progress for " + stuckAfter.toMinutes() + " min: work message sent again", now);
        try {
            repository.replace(stored, noted);
        } catch (PoolRepository.StaleRecordException changedMeanwhile) {
            return Outcome.CHANGED_MEANWHILE;
        }
        try {
            queue.send(noted.currentWork());
            return Outcome.SENT;
        } catch (WorkQueue.WorkQueueException e) {
            return Outcome.FAILED;
        }
    }
}
