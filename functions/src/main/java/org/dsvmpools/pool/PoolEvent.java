package org.dsvmpools.pool;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a pool's history: when, the status it left the pool in, why, who acted and what kind of entry it
 * is. Who and what kind are types, not a prefix of the text (#30: the scaler once wrote "Scaler: " into it), so a
 * reader filters on them and the text says only why.
 */
public record PoolEvent(Instant time, PoolStatus status, String reason, Source source, Kind kind) {
    /** Who acted. */
    public enum Source {
        /** a caller of the API: a request, a retry, a delete, a change of rules */
        requester,
        /** the provisioning worker, deploying or tearing down */
        worker,
        /** the scaler, starting, draining, stopping instances */
        scaler,
        /** the recovery timer, sending stuck work again */
        recovery,
        /** an entry written before events said who (read from an older record) */
        unrecorded
    }

    /** What kind of entry. */
    public enum Kind {
        /** the pool moved to {@link #status} */
        state,
        /** something was done, the status unchanged */
        action,
        /** something the pool's owner should know, nothing failed */
        warning,
        /** something that was tried failed */
        failure
    }

    public PoolEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
    }
}
