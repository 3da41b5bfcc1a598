package org.dsvmpools.provisioning;

import java.time.Duration;

/**
 * How the provisioning worker paces itself.
 *
 * @param inlineWait       an operation ARM expects to finish within this is waited for in the same invocation
 *                         (cheaper and faster than a queue round trip); anything longer is recorded and the
 *                         message re-enqueued with a visibility delay
 * @param invocationBudget an invocation stops waiting inline after this long, far below the Functions timeout
 * @param minRequeueDelay  the shortest visibility delay of a follow-up message: the follow-up must not arrive
 *                         before the pass that sent it has recorded its progress
 * @param maxRetries       retryable ARM errors in a row before the pool is marked Failed
 * @param maxRetryDelay    the cap of the exponential back-off between those retries
 */
public record WorkerPolicy(Duration inlineWait, Duration invocationBudget, Duration minRequeueDelay, int maxRetries,
                           Duration maxRetryDelay) {
    public static WorkerPolicy defaults() {
        return new WorkerPolicy(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(1), 8,
                Duration.ofMinutes(5));
    }

    Duration backoff(Duration first, int retry) {
        Duration delay = first.multipliedBy(1L << Math.min(retry - 1, 16));
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }

    Duration requeueDelay(Duration wanted) {
        return wanted.compareTo(minRequeueDelay) < 0 ? minRequeueDelay : wanted;
    }
}
