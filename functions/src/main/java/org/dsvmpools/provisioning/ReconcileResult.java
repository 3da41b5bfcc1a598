package org.dsvmpools.provisioning;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The outcome of one reconcile pass, as a value the worker acts on. */
public sealed interface ReconcileResult {

    /** Azure matches the blueprint. */
    record Done(Map<String, Observation> resources, List<String> kept) implements ReconcileResult {
    }

    /** Operations are under way: look again after {@code recheckAfter}. */
    record InProgress(Map<String, Observation> resources, String waitingFor, Duration recheckAfter)
            implements ReconcileResult {
    }

    /** A retryable error (throttling, a conflicting operation, a server fault): try again after the delay. */
    record Retry(String resourceKey, String code, String message, Duration after) implements ReconcileResult {
    }

    /** A permanent error: the pool is Failed until someone changes something and asks for a retry. */
    record Failed(String resourceKey, String code, String message) implements ReconcileResult {
    }
}
