package org.dsvmpools.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a pool request or change against the {@link Limits}, counting what the pool records hold: every pool
 * not Deleted, the one being replaced or changed left out. The caller counts after reading the limits' ledger and
 * writes only with moving it ({@link PoolRepository#limitsVersion()}), so requests at the same moment keep to the
 * limits together.
 */
final class Quotas {
    private static final int PAGE = 200;

    private final PoolRepository repository;
    private final Limits limits;

    Quotas(PoolRepository repository, Limits limits) {
        this.repository = repository;
        this.limits = limits;
    }

    /** A new pool, or one that takes the place of a Deleted one of its name: counted against every other pool. */
    Optional<Limits.Overrun> forNewPool(PoolSpec spec, Caller caller) {
        return overrun(live().stream().filter(pool -> !pool.name().equals(spec.poolName())).toList(), spec, caller);
    }

    /** A change raises the pool's max: the other pools' and the new max together stay within the limit. */
    Optional<Limits.Overrun> forChange(Pool pool, PoolSpec next) {
        if (next.capacity().max() <= pool.spec().capacity().max()) {
            return Optional.empty();
        }
        return instanceOverrun(instances(live().stream().filter(other -> !other.name().equals(pool.name()))
                .toList()), next.capacity().max());
    }

    /** Whether {@code spec}, asked for by {@code caller}, fits beside {@code others}. */
    private Optional<Limits.Overrun> overrun(List<Pool> others, PoolSpec spec, Caller caller) {
        long owned = others.stream().filter(pool -> pool.owner().id().equals(caller.id())).count();
        if (!caller.isAdmin() && owned + 1 > limits.poolsPerOwner()) {
            return Optional.of(new Limits.Overrun(Limits.POOLS_PER_OWNER_SETTING, "pools per owner",
                    limits.poolsPerOwner(), owned, 1));
        }
        return instanceOverrun(instances(others), spec.capacity().max());
    }

    private static long instances(List<Pool> pools) {
        return pools.stream().mapToLong(pool -> pool.spec().capacity().max()).sum();
    }

    /** Every pool that is not Deleted: what counts against the limits. */
    private List<Pool> live() {
        List<Pool> live = new ArrayList<>();
        String token = null;
        do {
            PoolPage page = repository.list(token, PAGE);
            page.pools().stream().filter(pool -> pool.status() != PoolStatus.Deleted).forEach(live::add);
            token = page.continuationToken();
        } while (token != null);
        return live;
    }

    private Optional<Limits.Overrun> instanceOverrun(long inUse, long requested) {
        return inUse + requested > limits.instances()
                ? Optional.of(new Limits.Overrun(Limits.INSTANCES_SETTING, "instances across all pools (the sum of"
                + " their max)", limits.instances(), inUse, requested))
                : Optional.empty();
    }
}
