package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;
import org.dsvmpools.azure.StorageQueueWakeRequests;
import org.dsvmpools.scaling.Scaler;
import org.dsvmpools.scaling.WakeRequest;
import org.dsvmpools.scaling.WakeRequestJson;

/**
 * Queue trigger on {@code pool-wakes}: evaluates the woken pool at once with the seats asked for. If another
 * evaluation holds the pool's lease, the request is retried by the host (it fails), since that evaluation did
 * not know about the new seats.
 */
public final class WakeWorkerFunction {
    private final App app;

    public WakeWorkerFunction() {
        this(App.get());
    }

    WakeWorkerFunction(App app) {
        this.app = app;
    }

    @FunctionName("WakeWorker")
    public void run(
            @QueueTrigger(name = "message", queueName = StorageQueueWakeRequests.POOL_WAKES,
                    connection = Settings.STORAGE_CONNECTION) String message,
            ExecutionContext context) {
        WakeRequest request = WakeRequestJson.read(message);
        Scaler.Outcome outcome = app.scaler().evaluate(request.pool(), request.seats());
        if (outcome instanceof Scaler.Outcome.Busy) {
            throw new IllegalStateException("another evaluation of pool " + request.pool()
                    + " holds its lease; the wake is tried again");
        }
        context.getLogger().info("wake of pool " + request.pool() + " for " + request.seats() + " seats: " + outcome);
    }
}
