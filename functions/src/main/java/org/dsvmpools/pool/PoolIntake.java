package org.dsvmpools.pool;

import java.time.Clock;
import java.util.Optional;

/**
 * The use cases behind the pools API: accept a pool request, read pools, request teardown. A record is always
 * stored before its work message is sent, so the worker never gets a message for a pool it cannot read; a send
 * that fails after the store leaves a pool that {@link StuckPoolRecovery} moves on.
 */
public final class PoolIntake {
    private final PoolRepository repository;
    private final WorkQueue queue;
    private final Clock clock;
    private final Limits limits;
    private final Quotas quotas;
    /** Tries of a new pool that collided with others at the limit; more means the limit is simply reached. */
    static final int STORE_ATTEMPTS = 5;

    public PoolIntake(PoolRepository repository, WorkQueue queue, Clock clock) {
        this(repository, queue, clock, Limits.defaults());
    }

    public PoolIntake(PoolRepository repository, WorkQueue queue, Clock clock, Limits limits) {
        this.repository = repository;
        this.queue = queue;
        this.clock = clock;
        this.limits = limits;
        this.quotas = new Quotas(repository, limits);
    }

    /**
     * @param spec a spec that passed {@link PoolSpecRules}; the same request again is answered as before, even
     *             when limits have changed since. A new pool is counted against the limits before it is stored,
     *             and once more after, before any work is sent ({@link #store}): the first check keeps refusals
     *             cheap, the second keeps requests at the same moment to the limits together.
     */
    public SubmitResult submit(PoolSpec spec, Caller caller) {
        Optional<Pool> same = repository.find(spec.poolName()).map(StoredPool::pool)
                .filter(pool -> pool.status() != PoolStatus.Deleted);
        if (same.isEmpty()) {
            if (!limits.allowsRegion(spec.location())) {
                return new SubmitResult.RegionNotAllowed(spec.location(), limits.regions());
            }
            Optional<Limits.Overrun> overrun = quotas.forNewPool(spec, caller);
            if (overrun.isPresent()) {
                return new SubmitResult.OverLimit(overrun.get());
            }
        }
        return store(spec, caller);
    }

    /**
     * Stores a new pool and counts it again: a request that sees the limits passed with its own record in place
     * withdraws it before any work is sent. Requests at the same moment may all see each other and withdraw; each
     * then waits a random moment and tries again, at most {@link #STORE_ATTEMPTS} times, so that the ones the
     * limits admit get in.
     */
    private SubmitResult store(PoolSpec spec, Caller caller) {
        PoolName name = spec.poolName();
        for (int attempt = 1; ; attempt++) {
            Pool fresh = Pool.accept(spec, caller, clock.instant());
            try {
                repository.create(fresh);
            } catch (PoolRepository.AlreadyExistsException taken) {
                return PoolUpdate.apply(repository, name, found -> submitOver(spec, caller, found));
            }
            Optional<Limits.Overrun> overrun = quotas.forStored(fresh, caller);
            if (overrun.isEmpty() || !withdraw(name, fresh)) {
                return new SubmitResult.Accepted(fresh, trySend(fresh));
            }
            if (attempt >= STORE_ATTEMPTS || !backOff()) {
                return new SubmitResult.OverLimit(overrun.get());
            }
            Optional<Limits.Overrun> settled = quotas.forNewPool(spec, caller);
            if (settled.isPresent()) {
                return new SubmitResult.OverLimit(settled.get());
            }
        }
    }

    /** @return false when the record changed meanwhile (someone acted on it: no worker can, no work was sent) */
    private boolean withdraw(PoolName name, Pool fresh) {
        try {
            repository.find(name).filter(stored -> stored.pool().generation() == fresh.generation()
                    && stored.pool().status() == PoolStatus.Accepted).ifPresent(repository::withdraw);
            return true;
        } catch (PoolRepository.StaleRecordException changed) {
            return false;
        }
    }

    /** A random wait of 20 to 200 ms, so that requests that collided do not collide again; false if interrupted. */
    private static boolean backOff() {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(20, 200));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The name is taken: a deleted pool is accepted again in place, a live one answers for itself. */
    private PoolUpdate.Decision<SubmitResult> submitOver(PoolSpec spec, Caller caller, Optional<StoredPool> found) {
        if (found.isEmpty()) {
            return PoolUpdate.answer(store(spec, caller));
        }
        Pool existing = found.get().pool();
        if (existing.status() == PoolStatus.Deleted) {
            return PoolUpdate.write(existing.reaccept(spec, caller, clock.instant()),
                    pool -> new SubmitResult.Accepted(pool, trySend(pool)));
        }
        return PoolUpdate.answer(existing.spec().equals(spec)
                ? new SubmitResult.AlreadyAccepted(existing)
                : new SubmitResult.Conflict(existing));
    }

    public Optional<Pool> get(PoolName name) {
        return repository.find(name).map(StoredPool::pool);
    }

    public PoolPage list(String continuationToken, int maxPageSize) {
        return repository.list(continuationToken, maxPageSize);
    }

    /**
     * Requests teardown. The share and its data are kept unless {@code purgeData} is confirmed by repeating the
     * pool's name, since a purge cannot be undone.
     */
    public DeleteResult delete(PoolName name, Caller caller, boolean purgeData, String confirmation) {
        if (purgeData && !name.value().equals(confirmation)) {
            return new DeleteResult.ConfirmationRequired(name);
        }
        return PoolUpdate.apply(repository, name, found -> {
            if (found.isEmpty()) {
                return PoolUpdate.answer(new DeleteResult.NotFound(name));
            }
            Pool pool = found.get().pool();
            if (!caller.mayManage(pool.owner())) {
                return PoolUpdate.answer(new DeleteResult.Forbidden(pool));
            }
            if (!pool.needsTeardown(purgeData)) {
                return PoolUpdate.answer(new DeleteResult.AlreadyRequested(pool));
            }
            return PoolUpdate.write(pool.requestTeardown(purgeData, caller, clock.instant()),
                    next -> new DeleteResult.TeardownRequested(next, trySend(next)));
        });
    }

    /**
     * Replaces a pool's scaling rules. {@code change} turns the current spec into the new one (or says why not);
     * a write lost to another writer is redone from a fresh read, so a concurrent change is never overwritten
     * unseen.
     */
    /** @param change the pool's new rules from its current ones, checked as a whole */
    public PatchResult changeScaling(PoolName name, Caller caller,
                                     java.util.function.Function<PoolSpec, CheckedSpec> change) {
        return PoolUpdate.apply(repository, name, found -> {
            if (found.isEmpty()) {
                return PoolUpdate.answer(new PatchResult.NotFound(name));
            }
            Pool pool = found.get().pool();
            if (!caller.mayManage(pool.owner())) {
                return PoolUpdate.answer(new PatchResult.Forbidden(pool));
            }
            if (pool.status() == PoolStatus.Deleting || pool.status() == PoolStatus.Deleted) {
                return PoolUpdate.answer(new PatchResult.NotChangeable(pool));
            }
            CheckedSpec changed = change.apply(pool.spec());
            if (!changed.isValid()) {
                return PoolUpdate.answer(new PatchResult.Invalid(changed.errors()));
            }
            Optional<Limits.Overrun> overrun = quotas.forChange(pool, changed.spec());
            if (overrun.isPresent()) {
                return PoolUpdate.answer(new PatchResult.OverLimit(overrun.get()));
            }
            return PoolUpdate.write(pool.changeScaling(changed.spec(), caller, clock.instant()),
                    PatchResult.Changed::new);
        });
    }

    /** Sends a Failed pool's work again, as a new generation; only its owner or an admin may ask. */
    public RetryResult retry(PoolName name, Caller caller) {
        return PoolUpdate.apply(repository, name, found -> {
            if (found.isEmpty()) {
                return PoolUpdate.answer(new RetryResult.NotFound(name));
            }
            Pool pool = found.get().pool();
            if (!caller.mayManage(pool.owner())) {
                return PoolUpdate.answer(new RetryResult.Forbidden(pool));
            }
            if (pool.status() != PoolStatus.Failed) {
                return PoolUpdate.answer(new RetryResult.NotFailed(pool));
            }
            return PoolUpdate.write(pool.retry(caller, clock.instant()),
                    next -> new RetryResult.Retried(next, trySend(next)));
        });
    }

    private boolean trySend(Pool pool) {
        try {
            queue.send(pool.currentWork());
            return true;
        } catch (WorkQueue.WorkQueueException e) {
            return false;
        }
    }
}
