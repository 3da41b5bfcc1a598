package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;

/**
 * Queue trigger on {@code usage-reports}: each VM agent's report of sessions and kernels, once a minute. An
 * unreadable report fails with its reason and ends, after the host's retries, in {@code usage-reports-poison}.
 */
public final class IngestUsageFunction {
    public static final String USAGE_REPORTS = "usage-reports";
    private final App app;

    public IngestUsageFunction() {
        this(App.get());
    }

    IngestUsageFunction(App app) {
        this.app = app;
    }

    @FunctionName("IngestUsage")
    public void run(
            @QueueTrigger(name = "message", queueName = USAGE_REPORTS, connection = Settings.STORAGE_CONNECTION)
            String message,
            ExecutionContext context) {
        String dropped = app.usage().ingest(message);
        if (dropped != null) {
            context.getLogger().info("usage report dropped: " + dropped);
        }
    }
}
