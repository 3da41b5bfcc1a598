package org.dsvmpools.provisioning;

import org.dsvmpools.pool.PoolName;

/**
 * What follows once a pool has first become Ready (the composition root makes it onboard the pool's initial
 * users). It runs after Ready is recorded, so its failure never undoes Ready; the worker reports it and moves on.
 */
@FunctionalInterface
public interface WhenReady {
    WhenReady NOTHING = pool -> "";

    /** @return what was done, for the log */
    String follow(PoolName pool);
}
