package org.dsvmpools.azure;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.WorkItemJson;
import org.dsvmpools.provisioning.ProvisioningWorker;

/**
 * Delivers {@code pool-requests} messages to a worker as the Functions host does: a message is deleted only when
 * its invocation succeeded and comes back otherwise; a follow-up arrives once its visibility delay is over.
 * Polls every 100 ms, which is what the host does while messages keep coming.
 */
public final class WorkerDriver {
    private static final Set<PoolStatus> SETTLED = Set.of(PoolStatus.Ready, PoolStatus.Failed, PoolStatus.Deleted);

    private final QueueClient queue;
    private final PoolRepository repository;

    public WorkerDriver(QueueClient queue, PoolRepository repository) {
        this.queue = queue;
        this.repository = repository;
    }

    /** Runs until the pool is settled and no message for it is left; a worker's exception is rethrown. */
    public Pool drive(String name, ProvisioningWorker worker, Duration timeout) throws InterruptedException {
        Instant deadline = SystemClock.now().plus(timeout);
        while (SystemClock.now().isBefore(deadline)) {
            Pool pool = repository.find(new PoolName(name)).orElseThrow().pool();
            if (SETTLED.contains(pool.status()) && queue.getProperties().getApproximateMessagesCount() == 0) {
                return pool;
            }
            List<QueueMessageItem> batch = new ArrayList<>();
            queue.receiveMessages(4, Duration.ofSeconds(30), null, null).forEach(batch::add);
            for (QueueMessageItem message : batch) {
                try {
                    worker.handle(WorkItemJson.read(message.getBody().toString()));
                    queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                } catch (RuntimeException crashed) {
                    queue.updateMessage(message.getMessageId(), message.getPopReceipt(), null, Duration.ZERO);
                    throw crashed;
                }
            }
            if (batch.isEmpty()) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("pool " + name + " did not settle in " + timeout);
    }
}
