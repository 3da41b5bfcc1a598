package org.dsvmpools.scaling;

import java.util.Objects;
import org.dsvmpools.pool.PoolName;

/** Someone wants {@code seats} seats in a pool now: the scaler evaluates the pool at once for them. */
public record WakeRequest(PoolName pool, int seats) {
    public WakeRequest {
        Objects.requireNonNull(pool, "pool");
        if (seats < 1) {
            throw new IllegalArgumentException("seats must be at least 1");
        }
    }
}
