package org.dsvmpools.pool;

import java.util.Objects;

/**
 * Why a pool is Failed: the ARM error code and message and the resource it came from, and which work failed,
 * so that a retry knows whether to provision or to tear down again.
 */
public record PoolFailure(WorkItem.Kind work, String resource, String code, String message) {
    public PoolFailure {
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
