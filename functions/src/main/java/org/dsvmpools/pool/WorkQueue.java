package org.dsvmpools.pool;

import java.time.Duration;

/** The worker's inbox. A send either reaches the queue or throws; it never drops a message silently. */
public interface WorkQueue {

    /** @throws WorkQueueException when the message could not be stored */
    default void send(WorkItem item) {
        send(item, Duration.ZERO);
    }

    /**
     * Sends a message that stays invisible for {@code visibleAfter}: how the worker looks again later without
     * waiting.
     *
     * @throws WorkQueueException when the message could not be stored
     */
    void send(WorkItem item, Duration visibleAfter);

    final class WorkQueueException extends RuntimeException {
        public WorkQueueException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
