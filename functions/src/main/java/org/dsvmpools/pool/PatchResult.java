package org.dsvmpools.pool;

import java.util.List;

/** What became of a change to a pool's scaling rules. */
public sealed interface PatchResult {

    record Changed(Pool pool) implements PatchResult {
    }

    record NotFound(PoolName name) implements PatchResult {
    }

    record Forbidden(Pool pool) implements PatchResult {
    }

    /** The patch, applied to the pool's current rules, gives rules a new pool would be refused. */
    record Invalid(List<FieldError> errors) implements PatchResult {
    }

    /** A pool being deleted, or deleted, keeps the rules it had. */
    record NotChangeable(Pool pool) implements PatchResult {
    }

    /** The change would pass one of the installation's {@link Limits}: nothing was changed. */
    record OverLimit(Limits.Overrun overrun) implements PatchResult {
    }
}
