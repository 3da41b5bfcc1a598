package org.dsvmpools.onboarding;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;

/**
 * The pools onboarding reads, with a Ready pool remembered for {@link #FOR} after it was read: a class of a
 * thousand arriving at once reads its pool once a few seconds, not once each. Only Ready pools are remembered, so
 * a pool that becomes Ready is seen at once. A pool deleted within those seconds may still get a folder on its
 * share, which goes with the share; nothing reaches a pool that was never Ready.
 */
final class ReadyPools {
    static final Duration FOR = Duration.ofSeconds(5);

    private final PoolRepository pools;
    private final Clock clock;
    private final Map<PoolName, Seen> seen = new ConcurrentHashMap<>();

    private record Seen(StoredPool pool, Instant until) {
    }

    ReadyPools(PoolRepository pools, Clock clock) {
        this.pools = pools;
        this.clock = clock;
    }

    Optional<StoredPool> find(PoolName name) {
        Instant now = clock.instant();
        Seen known = seen.get(name);
        if (known != null && now.isBefore(known.until())) {
            return Optional.of(known.pool());
        }
        return fresh(name);
    }

    /** The pool as stored now, remembered again: for a decision a remembered record of another life would spoil. */
    Optional<StoredPool> fresh(PoolName name) {
        Instant now = clock.instant();
        Optional<StoredPool> found = pools.find(name);
        if (found.isPresent() && found.get().pool().status() == PoolStatus.Ready) {
            seen.put(name, new Seen(found.get(), now.plus(FOR)));
        } else {
            seen.remove(name);
        }
        return found;
    }
}
