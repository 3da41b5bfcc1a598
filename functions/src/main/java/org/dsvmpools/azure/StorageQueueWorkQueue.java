package org.dsvmpools.azure;

import com.azure.storage.queue.QueueClient;
import java.time.Duration;
import org.dsvmpools.pool.WorkItem;
import org.dsvmpools.pool.WorkItemJson;
import org.dsvmpools.pool.WorkQueue;

/** {@link WorkQueue} on an Azure Storage queue. */
public final class StorageQueueWorkQueue implements WorkQueue {
    public static final String POOL_REQUESTS = "pool-requests";

    private final QueueSender queue;

    public StorageQueueWorkQueue(QueueClient queue) {
        this.queue = new QueueSender(queue);
    }

    @Override
    public void send(WorkItem item, Duration visibleAfter) {
        try {
            queue.send(WorkItemJson.write(item), visibleAfter);
        } catch (RuntimeException e) {
            throw new WorkQueueException("could not send " + item.kind() + " of pool " + item.pool()
                    + " to queue " + queue.queueName() + ": " + e.getMessage(), e);
        }
    }
}
