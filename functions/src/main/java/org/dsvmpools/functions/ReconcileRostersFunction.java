package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.time.Clock;
import org.dsvmpools.onboarding.RosterSync;

/**
 * Timer ({@code %DSVMPOOLS_ROSTER_SCHEDULE%}, daily by default): every pool whose roster is an Entra group follows
 * the group's members again, in case a Graph change notification was lost.
 */
public final class ReconcileRostersFunction {
    private final App app;
    private final Clock clock;

    public ReconcileRostersFunction() {
        this(App.get());
    }

    ReconcileRostersFunction(App app) {
        this.app = app;
        this.clock = app.clock();
    }

    @FunctionName("ReconcileRosters")
    public void run(
            @TimerTrigger(name = "timer", schedule = "%" + Settings.ROSTER_SCHEDULE + "%") String timer,
            ExecutionContext context) {
        for (RosterSync.Report report : app.rosterSync().reconcileAll(clock.instant())) {
            if (!report.changes().isEmpty()) {
                context.getLogger().info("pool " + report.pool() + " roster: " + report.changes());
            }
        }
    }
}
