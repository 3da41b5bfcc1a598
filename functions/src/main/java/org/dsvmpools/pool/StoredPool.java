package org.dsvmpools.pool;

import java.util.Objects;

/** A pool as read from the repository, with the ETag that a conditional write of its next state must present. */
public record StoredPool(Pool pool, String etag) {
    public StoredPool {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(etag, "etag");
    }
}
