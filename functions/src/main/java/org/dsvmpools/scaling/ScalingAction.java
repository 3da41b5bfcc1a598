package org.dsvmpools.scaling;

import java.util.List;

/** One thing the scaler asks ARM to do, with the reason it gives in the pool's history. */
public sealed interface ScalingAction {
    String reason();

    record Start(List<String> instanceIds, String reason) implements ScalingAction {
    }

    /** New instances: capacity raised by {@code count}. */
    record Create(int count, String reason) implements ScalingAction {
    }

    record Deallocate(List<String> instanceIds, String reason) implements ScalingAction {
    }

    record Delete(List<String> instanceIds, String reason) implements ScalingAction {
    }

    record Protect(String instanceId, boolean protect, String reason) implements ScalingAction {
    }
}
