package org.dsvmpools.provisioning;

import java.time.Clock;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolFailure;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolUpdate;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.WorkItem;

/**
 * A work message the Functions host gave up on (it failed {@code maxDequeueCount} times and went to
 * {@code pool-requests-poison}): the pool it was for is marked Failed, so it is never left looking busy, and
 * {@code POST /api/pools/{name}/retry} can send it again.
 */
public final class PoisonedWork {
    public static final String CODE = "WorkerFailed";

    private final PoolRepository repository;
    private final Clock clock;

    public PoisonedWork(PoolRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    public WorkOutcome handle(WorkItem item) {
        // A lost write is decided again: the pool may have moved on, or only recorded another pass.
        return PoolUpdate.apply(repository, item.pool(), found -> {
            if (found.isEmpty()) {
                return PoolUpdate.answer(new WorkOutcome.Dropped("pool " + item.pool() + " does not exist"));
            }
            Pool pool = found.get().pool();
            if (pool.generation() != item.generation() || !busy(pool.status())) {
                return PoolUpdate.answer(new WorkOutcome.Dropped("pool " + pool.name() + " has moved on (generation "
                        + pool.generation() + ", " + pool.status() + ")"));
            }
            String message = "the worker failed on this " + item.kind() + " request repeatedly; the message is in "
                    + "pool-requests-poison and the function logs say why";
            PoolFailure failure = new PoolFailure(item.kind(), null, CODE, message);
            return PoolUpdate.write(pool.advance(PoolStatus.Failed, pool.progress().with(pool.progress().resources(), 0,
                    failure, null), "Failed: " + message, clock.instant()),
                    failed -> new WorkOutcome.Finished(PoolStatus.Failed));
        });
    }

    private static boolean busy(PoolStatus status) {
        return status == PoolStatus.Accepted || status == PoolStatus.Provisioning || status == PoolStatus.Deleting;
    }
}
