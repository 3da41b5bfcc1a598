package org.dsvmpools.provisioning;

import java.time.Duration;
import java.util.List;
import org.dsvmpools.pool.PoolResource;

/**
 * The outcome of one reconcile pass, as a value the worker records and acts on. Every outcome carries the
 * pool's resources as the pass left them, so that what was begun before an error is remembered too.
 */
public sealed interface ReconcileResult {

    List<PoolResource> resources();

    /** Azure matches the blueprint. */
    record Done(List<PoolResource> resources) implements ReconcileResult {
    }

    /** Operations are under way: look again after {@code recheckAfter}. */
    record InProgress(List<PoolResource> resources, String waitingFor, Duration recheckAfter)
            implements ReconcileResult {
    }

    /** A retryable error (throttling, a conflicting operation, a server fault): try again after the delay. */
    record Retry(List<PoolResource> resources, String resourceKey, String code, String message, Duration after)
            implements ReconcileResult {
    }

    /** A permanent error: the pool is Failed until someone changes something and asks for a retry. */
    record Failed(List<PoolResource> resources, String resourceKey, String code, String message)
            implements ReconcileResult {
    }
}
