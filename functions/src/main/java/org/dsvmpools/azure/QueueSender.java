package org.dsvmpools.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueErrorCode;
import com.azure.storage.queue.models.QueueStorageException;
import java.time.Duration;

/** Puts messages on a Storage queue, creating the queue on first use rather than at start-up. */
final class QueueSender {
    private final QueueClient queue;

    QueueSender(QueueClient queue) {
        this.queue = queue;
    }

    String queueName() {
        return queue.getQueueName();
    }

    void send(String message, Duration visibleAfter) {
        try {
            put(message, visibleAfter);
        } catch (QueueStorageException e) {
            if (!QueueErrorCode.QUEUE_NOT_FOUND.equals(e.getErrorCode())) {
                throw e;
            }
            queue.createIfNotExists();
            put(message, visibleAfter);
        }
    }

    /** Storage counts visibility in whole seconds; a delay is rounded up so a follow-up is never early. */
    private void put(String message, Duration visibleAfter) {
        if (visibleAfter.isZero()) {
            queue.sendMessage(message);
            return;
        }
        long seconds = (visibleAfter.toMillis() + 999) / 1000;
        queue.sendMessageWithResponse(message, Duration.ofSeconds(seconds), null, null, Context.NONE);
    }
}
