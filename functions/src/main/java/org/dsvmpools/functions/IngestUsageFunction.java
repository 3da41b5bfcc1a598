package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import org.dsvmpools.scaling.UsageIngestion;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.QueueTrigger;

/**
 * Queue trigger on {@code usage-reports}: each VM agent's report of sessions and kernels, once a minute. An
 * unreadable report fails with its reason and ends, after the host's retries, in {@code usage-reports-poison}.
 * With {@link Settings#USAGE_AUDIENCE} set, reports come only over HTTPS with the instances' tokens
 * ({@link ReportUsageFunction}): the template disables this function then, and should a message arrive anyway it is
 * refused, counted on the pool it names, never stored (#27).
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
        if (app.usageSenders().isPresent()) {
            context.getLogger().warning("usage report refused: " + app.usage().refuseQueued(message));
            return;
        }
        if (app.usage().ingest(message) instanceof UsageIngestion.Outcome.Dropped dropped) {
            context.getLogger().info("usage report dropped: " + dropped.reason());
        }
    }
}
