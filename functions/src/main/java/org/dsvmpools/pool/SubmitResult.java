package org.dsvmpools.pool;

/** What became of a pool request. */
public sealed interface SubmitResult {

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

    /**
     * The name is a Deleted pool's whose data (share, roster) is kept: only its owner or an admin may request it
     * again, or its owner purges it first (#27). Nothing was changed.
     */
    record NameHeld(Pool pool) implements SubmitResult {
    }

    /** The name is taken by a pool with another spec. */
    record Conflict(Pool pool) implements SubmitResult {
    }

    /** Accepting it would pass one of the installation's {@link Limits}: nothing was stored. */
    record OverLimit(Limits.Overrun overrun) implements SubmitResult {
    }

    /** The installation does not deploy pools to that region. */
    record RegionNotAllowed(String region, java.util.Set<String> allowed) implements SubmitResult {
    }
}
