package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import org.dsvmpools.onboarding.RosterSync;
import org.dsvmpools.pool.StuckPoolRecovery;

/**
 * Timer ({@code %DSVMPOOLS_RECOVERY_SCHEDULE%}, every five minutes by default): sends the work of pools that
 * waited too long for the worker again, so a message lost between storing a record and queueing its work
 * never leaves a pool stuck; and onboards again the users whose addition failed half-way and is due.
 */
public final class RecoverStuckPoolsFunction {
    private final App app;

    public RecoverStuckPoolsFunction() {
        this(App.get());
    }

    RecoverStuckPoolsFunction(App app) {
        this.app = app;
    }

    @FunctionName("RecoverStuckPools")
    public void run(
            @TimerTrigger(name = "timer", schedule = "%" + Settings.RECOVERY_SCHEDULE + "%") String timer,
            ExecutionContext context) {
        // Users whose onboarding failed half-way (Files or Graph down) are tried again here, minutes later (#26).
        for (RosterSync.Report retried : app.rosterSync().retryPending()) {
            context.getLogger().info("pending users of pool " + retried.pool() + ": " + retried.changes());
        }
        // The front door's abandoned sign-ins and expired sessions (#29); its failure waits for the next run.
        app.doorSignIn().ifPresent(door -> {
            try {
                int pruned = door.prune();
                if (pruned > 0) {
                    context.getLogger().info("front door: " + pruned + " old sign-ins and sessions deleted");
                }
            } catch (RuntimeException e) {
                context.getLogger().warning("front door: old sign-ins not pruned: " + e.getMessage());
            }
        });
        StuckPoolRecovery.Report report = app.recovery().recover();
        if (!report.resent().isEmpty()) {
            context.getLogger().info("work sent again for stuck pools " + report.resent());
        }
        if (!report.failed().isEmpty()) {
            throw new IllegalStateException("could not send work for stuck pools " + report.failed()
                    + "; they are retried on the next run");
        }
    }
}
