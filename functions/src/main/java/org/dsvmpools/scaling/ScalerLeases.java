package org.dsvmpools.scaling;

import java.time.Duration;
import java.time.Instant;
import org.dsvmpools.pool.PoolName;

/**
 * One evaluation per pool at a time, across overlapping ticks and app instances: a lease that expires by itself,
 * so a scaler that dies holding one blocks its pool for one lease period at most.
 */
public interface ScalerLeases {

    /** True when this caller now holds the pool's lease until {@code now + period}. */
    boolean tryAcquire(PoolName pool, String holder, Instant now, Duration period);

    void release(PoolName pool, String holder);
}
