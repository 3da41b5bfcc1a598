package org.dsvmpools.pool;

/** The worker's inbox. A send either reaches the queue or throws; it never drops a message silently. */
public interface WorkQueue {

    /** @throws WorkQueueException when the message could not be stored */
    void send(WorkItem item);

    final class WorkQueueException extends RuntimeException {
        public WorkQueueException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
