package org.dsvmpools.provisioning;

import java.time.Clock;
import java.util.Optional;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolFailure;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;
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
        for (int attempt = 0; attempt < 8; attempt++) {
            Optional<StoredPool> found = repository.find(item.pool());
            if (found.isEmpty()) {
                return new WorkOutcome.Dropped("pool " + item.pool() + " does not exist");
            }
            Pool pool = found.get().pool();
            if (pool.generation() != item.generation() || !busy(pool.status())) {
                return new WorkOutcome.Dropped("pool " + pool.name() + " has moved on (generation "
                        + pool.generation() + ", " + pool.status() + ")");
            }
            String message = "the worker failed on this " + item.kind() + " request repeatedly; the message is in "
                    + "pool-requests-poison and the function logs say why";
            PoolFailure failure = new PoolFailure(item.kind(), null, CODE, message);
            Pool failed = pool.advance(PoolStatus.Failed, pool.progress().with(pool.progress().resources(), 0,
                    failure, null), "Failed: " + message, clock.instant());
            try {
                repository.replace(found.get(), failed);
                return new WorkOutcome.Finished(PoolStatus.Failed);
            } catch (PoolRepository.StaleRecordException changedMeanwhile) {
                // Read again: the pool may have moved on, or only recorded another pass.
            }
        }
        throw new PoolRepository.StaleRecordException(item.pool(), null);
    }

    private static boolean busy(PoolStatus status) {
        return status == PoolStatus.Accepted || status == PoolStatus.Provisioning || status == PoolStatus.Deleting;
    }
}
