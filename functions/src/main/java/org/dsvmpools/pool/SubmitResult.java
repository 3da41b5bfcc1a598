package org.dsvmpools.pool;

/** What became of a pool request. */
public sealed interface SubmitResult {
    Pool pool();

    /**
     * A new pool (or a new life for a deleted one) was stored.
     *
     * @param workQueued false when the record is stored but the queue write failed: the pool is still safe,
     *                   {@link StuckPoolRecovery} sends the work again
     */
    record Accepted(Pool pool, boolean workQueued) implements SubmitResult {
    }

    /** The same request again: nothing was changed. */
    record AlreadyAccepted(Pool pool) implements SubmitResult {
    }

    /** The name is taken by a pool with another spec. */
    record Conflict(Pool pool) implements SubmitResult {
    }
}
