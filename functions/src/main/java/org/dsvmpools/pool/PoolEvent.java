package org.dsvmpools.pool;

import java.time.Instant;
import java.util.Objects;

/** One entry of a pool's state history: when it moved, to what, and why. */
public record PoolEvent(Instant time, PoolStatus status, String reason) {
    public PoolEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
    }
}
