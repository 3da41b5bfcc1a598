package org.dsvmpools.pool;

/** What became of a delete request. */
public sealed interface DeleteResult {

    /** @param workQueued see {@link SubmitResult.Accepted#workQueued()} */
    record TeardownRequested(Pool pool, boolean workQueued) implements DeleteResult {
    }

    /** Already being deleted or deleted as asked: nothing changed. */
    record AlreadyRequested(Pool pool) implements DeleteResult {
    }

    record NotFound(PoolName name) implements DeleteResult {
    }

    record Forbidden(Pool pool) implements DeleteResult {
    }

    /** A purge without the pool's name as confirmation. */
    record ConfirmationRequired(PoolName name) implements DeleteResult {
    }
}
