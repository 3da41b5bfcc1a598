package org.dsvmpools.azure;

import com.azure.storage.queue.QueueClient;
import java.time.Duration;
import org.dsvmpools.pool.WorkQueue;
import org.dsvmpools.scaling.WakeRequest;
import org.dsvmpools.scaling.WakeRequestJson;
import org.dsvmpools.scaling.WakeRequests;

/** {@link WakeRequests} on the {@code pool-wakes} Storage queue. */
public final class StorageQueueWakeRequests implements WakeRequests {
    public static final String POOL_WAKES = "pool-wakes";

    private final QueueSender queue;

    public StorageQueueWakeRequests(QueueClient queue) {
        this.queue = new QueueSender(queue);
    }

    @Override
    public void send(WakeRequest request) {
        try {
            queue.send(WakeRequestJson.write(request), Duration.ZERO);
        } catch (RuntimeException e) {
            throw new WorkQueue.WorkQueueException("could not send the wake request of pool " + request.pool()
                    + " to queue " + queue.queueName() + ": " + e.getMessage(), e);
        }
    }
}
