package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import java.util.logging.Level;
import org.dsvmpools.azure.StorageQueueWorkQueue;
import org.dsvmpools.pool.WorkItem;
import org.dsvmpools.pool.WorkItemJson;
import org.dsvmpools.provisioning.WorkOutcome;

/**
 * Queue trigger on {@code pool-requests}: provisions and tears down pools. A message that fails is retried by the
 * host; on its last allowed attempt the pool is marked Failed before the host moves the message to
 * {@code pool-requests-poison}, where it stays for inspection (nothing consumes that queue).
 */
public final class ProvisionPoolFunction {
    /** host.json's {@code extensions.queues.maxDequeueCount}; a test keeps the two equal. */
    static final int MAX_DEQUEUE_COUNT = 5;

    private final App app;

    public ProvisionPoolFunction() {
        this(App.get());
    }

    ProvisionPoolFunction(App app) {
        this.app = app;
    }

    @FunctionName("ProvisionPool")
    public void run(
            @QueueTrigger(name = "message", queueName = StorageQueueWorkQueue.POOL_REQUESTS,
                    connection = Settings.STORAGE_CONNECTION) String message,
            @BindingName("DequeueCount") long dequeueCount,
            ExecutionContext context) throws InterruptedException {
        WorkItem item = WorkItemJson.read(message);
        try {
            WorkOutcome outcome = app.worker().handle(item);
            context.getLogger().info(item.kind() + " " + item.pool() + " generation " + item.generation() + " pass "
                    + item.pass() + ": " + outcome);
        } catch (RuntimeException e) {
            if (dequeueCount >= MAX_DEQUEUE_COUNT) {
                markFailed(item, context, e);
            }
            throw e;
        }
    }

    private void markFailed(WorkItem item, ExecutionContext context, RuntimeException cause) {
        context.getLogger().log(Level.SEVERE, "giving up on " + item.kind() + " of pool " + item.pool()
                + " after " + MAX_DEQUEUE_COUNT + " attempts", cause);
        try {
            context.getLogger().info("pool " + item.pool() + ": " + app.poisoned().handle(item));
        } catch (RuntimeException e) {
            context.getLogger().log(Level.SEVERE, "could not mark pool " + item.pool() + " Failed; stuck-pool"
                    + " recovery sends its work again", e);
        }
    }
}
