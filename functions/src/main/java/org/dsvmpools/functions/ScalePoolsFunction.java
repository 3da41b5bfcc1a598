package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import java.util.List;
import org.dsvmpools.scaling.Scaler;

/**
 * Timer ({@code %DSVMPOOLS_SCALE_SCHEDULE%}, every minute by default): evaluates every Ready pool's capacity
 * against its usage and applies the decision through ARM. Overlapping ticks and app instances are kept apart by
 * per-pool leases.
 */
public final class ScalePoolsFunction {
    private final App app;

    public ScalePoolsFunction() {
        this(App.get());
    }

    ScalePoolsFunction(App app) {
        this.app = app;
    }

    @FunctionName("ScalePools")
    public void run(
            @TimerTrigger(name = "timer", schedule = "%" + Settings.SCALE_SCHEDULE + "%") String timer,
            ExecutionContext context) {
        List<Scaler.Outcome> outcomes = app.scaler().tick();
        for (Scaler.Outcome outcome : outcomes) {
            if (outcome instanceof Scaler.Outcome.Evaluated evaluated && !evaluated.decision().actions().isEmpty()) {
                context.getLogger().info("pool " + evaluated.pool() + ": " + evaluated.decision().summary()
                        + "; applied " + evaluated.applied() + (evaluated.failed().isEmpty() ? ""
                        : "; failed " + evaluated.failed()));
            }
        }
    }
}
