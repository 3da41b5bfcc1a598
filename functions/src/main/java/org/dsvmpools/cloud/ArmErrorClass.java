package org.dsvmpools.cloud;

/** What to do about an ARM error: try the step again later, or give up and mark the pool Failed. */
public enum ArmErrorClass {
    /** Throttling, a conflicting operation in flight, transient capacity or service trouble. */
    RETRYABLE,
    /** The request cannot succeed as it stands: bad input, quota, SKU, policy. */
    FATAL
}
