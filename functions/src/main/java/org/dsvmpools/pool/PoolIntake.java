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
     * Tries of a request whose ledger write lost to another's. Each round of requests at once lets one through, so a
     * burst of twenty needs up to twenty; more means the limits are simply contended (503, nothing stored).
     */
    static final int LEDGER_ATTEMPTS = 50;

    public SubmitResult submit(PoolSpec spec, Caller caller) {
        return submit(spec, caller, false);
    }

    /**
     * @param spec       a spec that passed {@link PoolSpecRules}; the same request again is answered as before, even
     *                   when limits have changed since
     * @param keepRoster for the name of a Deleted pool: whether the new life keeps the old one's roster (only its
     *                   owner or an admin may ask for the name while its data is kept); otherwise it starts with an
     *                   empty one
     */
    public SubmitResult submit(PoolSpec spec, Caller caller, boolean keepRoster) {
        PoolName name = spec.poolName();
        for (int attempt = 1; ; attempt++) {
            try {
                // The ledger first: the pools counted below are then at least those of every change written before.
                PoolRepository.LimitsVersion version = repository.limitsVersion();
                Optional<StoredPool> found = repository.find(name);
                if (found.isPresent() && found.get().pool().status() != PoolStatus.Deleted) {
                    Pool existing = found.get().pool();
                    return existing.spec().equals(spec) ? new SubmitResult.AlreadyAccepted(existing)
                            : new SubmitResult.Conflict(existing);
                }
                if (found.isPresent() && found.get().pool().holdsData() && !caller.mayManage(found.get().pool().owner())) {
                    return new SubmitResult.NameHeld(found.get().pool());
                }
                if (!limits.allowsRegion(spec.location())) {
                    return new SubmitResult.RegionNotAllowed(spec.location(), limits.regions());
                }
                Optional<Limits.Overrun> overrun = quotas.forNewPool(spec, caller);
                if (overrun.isPresent()) {
                    return new SubmitResult.OverLimit(overrun.get());
                }
                Pool next;
                if (found.isEmpty()) {
                    next = Pool.accept(spec, caller, clock.instant());
                    repository.create(next, version);
                } else {
                    next = found.get().pool().reaccept(spec, caller, clock.instant(), keepRoster);
                    repository.replace(found.get(), next, version);
                }
                return new SubmitResult.Accepted(next, trySend(next));
            } catch (WriteConflictException lost) {
                if (attempt >= LEDGER_ATTEMPTS || !backOff(attempt)) {
                    throw lost;
                }
            }
        }
    }

    /**
     * A random wait, up to 20 ms after the first loss and twice as long after each next one (at most 500 ms), so
     * that requests that collided spread out ("full jitter"); false if interrupted.
     */
    private static boolean backOff(int lost) {
        long ceiling = Math.min(500, 20L << Math.min(lost - 1, 5));
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, ceiling + 1));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Optional<Pool> get(PoolName name) {
        return repository.find(name).map(StoredPool::pool);
    }

    public PoolPage list(String continuationToken, int maxPageSize) {
        return repository.list(continuationToken, maxPageSize);
    }

    /** The pools in one of {@code statuses}, a page at a time. */
    public PoolPage list(String continuationToken, int maxPageSize, java.util.Set<PoolStatus> statuses) {
        return repository.list(continuationToken, maxPageSize, statuses);
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
        // Under the ledger: two PATCHes raising max at once cannot both count the other's old max (#27).
        return PoolUpdate.applyWithinLimits(repository, name, found -> {
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
