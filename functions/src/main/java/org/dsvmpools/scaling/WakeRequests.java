package org.dsvmpools.scaling;

/**
 * Where wake requests wait for the scaler. The HTTP function only records the request: the scaler's ARM clients
 * take seconds to build and never belong on an HTTP path.
 */
public interface WakeRequests {

    /** @throws org.dsvmpools.pool.WorkQueue.WorkQueueException when the request could not be stored */
    void send(WakeRequest request);
}
