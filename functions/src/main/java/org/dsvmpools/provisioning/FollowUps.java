package org.dsvmpools.provisioning;

import org.dsvmpools.pool.PoolName;

/**
 * What follows once a pool has settled: after it is first Ready the composition root onboards its initial users
 * and lists its sign-in address with Entra ID; after it is Deleted, the address goes. Each runs after the state is
 * recorded, so its failure never undoes it; the worker reports it and moves on.
 */
public interface FollowUps {
    FollowUps NONE = new FollowUps() {
    };

    /** @return what was done, for the log */
    default String afterReady(PoolName pool) {
        return "";
    }

    /** @return what was done, for the log */
    default String afterDeleted(PoolName pool) {
        return "";
    }

    /** Only {@link #afterReady}. */
    static FollowUps afterReady(java.util.function.Function<PoolName, String> action) {
        return new FollowUps() {
            @Override
            public String afterReady(PoolName pool) {
                return action.apply(pool);
            }
        };
    }
}
