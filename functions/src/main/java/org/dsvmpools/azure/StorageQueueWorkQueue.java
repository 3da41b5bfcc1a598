package org.dsvmpools.azure;

import com.azure.core.util.Context;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueErrorCode;
import com.azure.storage.queue.models.QueueStorageException;
import java.time.Duration;
import org.dsvmpools.pool.WorkItem;
import org.dsvmpools.pool.WorkItemJson;
import org.dsvmpools.pool.WorkQueue;

/** {@link WorkQueue} on an Azure Storage queue. Creates the queue on first use rather than at start-up. */
public final class StorageQueueWorkQueue implements WorkQueue {
    public static final String POOL_REQUESTS = "pool-requests";

    private final QueueClient queue;

    public StorageQueueWorkQueue(QueueClient queue) {
        this.queue = queue;
    }

    @Override
    public void send(WorkItem item, Duration visibleAfter) {
        String message = WorkItemJson.write(item);
        try {
            try {
                put(message, visibleAfter);
            } catch (QueueStorageException e) {
                if (!QueueErrorCode.QUEUE_NOT_FOUND.equals(e.getErrorCode())) {
                    throw e;
                }
                queue.createIfNotExists();
                put(message, visibleAfter);
            }
        } catch (RuntimeException e) {
            throw new WorkQueueException("could not send " + item.kind() + " of pool " + item.pool()
                    + " to queue " + queue.getQueueName() + ": " + e.getMessage(), e);
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
