package org.dsvmpools.pool;

import java.util.Optional;

/**
 * Checks a pool request or change against the {@link Limits}, counting what the pool records hold: every pool
 * not Deleted, the one being replaced or changed left out; and a new pool once more after it is stored, so that
 * requests at the same moment keep to the limits together (see docs/security.md for the one case they do not).
 */
final class Quotas {
    private static final int PAGE = 200;

    private final PoolRepository repository;
    private final Limits limits;

    Quotas(PoolRepository repository, Limits limits) {
        this.repository = repository;
        this.limits = limits;
    }

    Optional<Limits.Overrun> forNewPool(PoolSpec spec, Caller caller) {
        long owned = 0;
        long instances = 0;
        String token = null;
        do {
            PoolPage page = repository.list(token, PAGE);
            for (Pool pool : page.pools()) {
                if (pool.status() == PoolStatus.Deleted || pool.name().equals(spec.poolName())) {
                    continue;
                }
                instances += pool.spec().capacity().max();
                if (pool.owner().id().equals(caller.id())) {
                    owned++;
                }
            }
            token = page.continuationToken();
        } while (token != null);
        if (!caller.isAdmin() && owned + 1 > limits.poolsPerOwner()) {
            return Optional.of(new Limits.Overrun(Limits.POOLS_PER_OWNER_SETTING, "pools per owner",
                    limits.poolsPerOwner(), owned, 1));
        }
        return instanceOverrun(instances, spec.capacity().max());
    }

    /**
     * Checked again once {@code stored} is in the records, which now also hold any request that was checked at the
     * same moment: the pools are ranked by when they were accepted (then name), and a pool that the limits leave
     * out by that ranking is over them. Every request sees the ones ranked before it, so together they keep to the
     * limits however many arrive at once.
     */
    Optional<Limits.Overrun> forStored(Pool stored, Caller caller) {
        java.util.List<Pool> live = new java.util.ArrayList<>();
        String token = null;
        do {
            PoolPage page = repository.list(token, PAGE);
            page.pools().stream().filter(pool -> pool.status() != PoolStatus.Deleted).forEach(live::add);
            token = page.continuationToken();
        } while (token != null);
        java.util.Comparator<Pool> accepted = java.util.Comparator.comparing(Pool::createdAt)
                .thenComparing(pool -> pool.name().value());
        live.sort(accepted);
        long owned = 0;
        long instances = 0;
        for (Pool pool : live) {
            if (pool.name().equals(stored.name())) {
                break;
            }
            instances += pool.spec().capacity().max();
            if (pool.owner().id().equals(caller.id())) {
                owned++;
            }
        }
        if (!caller.isAdmin() && owned + 1 > limits.poolsPerOwner()) {
            return Optional.of(new Limits.Overrun(Limits.POOLS_PER_OWNER_SETTING, "pools per owner",
                    limits.poolsPerOwner(), owned, 1));
        }
        return instanceOverrun(instances, stored.spec().capacity().max());
    }

    /** A change raises the pool's max: the other pools' and the new max together stay within the limit. */
    Optional<Limits.Overrun> forChange(Pool pool, PoolSpec next) {
        if (next.capacity().max() <= pool.spec().capacity().max()) {
            return Optional.empty();
        }
        long others = 0;
        String token = null;
        do {
            PoolPage page = repository.list(token, PAGE);
            for (Pool other : page.pools()) {
                if (other.status() != PoolStatus.Deleted && !other.name().equals(pool.name())) {
                    others += other.spec().capacity().max();
                }
            }
            token = page.continuationToken();
        } while (token != null);
        return instanceOverrun(others, next.capacity().max());
    }

    private Optional<Limits.Overrun> instanceOverrun(long inUse, long requested) {
        return inUse + requested > limits.instances()
                ? Optional.of(new Limits.Overrun(Limits.INSTANCES_SETTING, "instances across all pools (the sum of"
                + " their max)", limits.instances(), inUse, requested))
                : Optional.empty();
    }
}
