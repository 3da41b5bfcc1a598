package org.dsvmpools.pool;

/** What became of a retry request. */
public sealed interface RetryResult {

    /** @param workQueued see {@link SubmitResult.Accepted#workQueued()} */
    record Retried(Pool pool, boolean workQueued) implements RetryResult {
    }

    record NotFound(PoolName name) implements RetryResult {
    }

    record Forbidden(Pool pool) implements RetryResult {
    }

    /** Only a Failed pool is retried: anything else is either working or done. */
    record NotFailed(Pool pool) implements RetryResult {
    }
}
