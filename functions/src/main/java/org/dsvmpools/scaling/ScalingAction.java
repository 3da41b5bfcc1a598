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

    /**
     * Takes an instance out of the load balancer's rotation (its users work on), or puts it back.
     *
     * @param at when the drain was decided: the instance's agent honours it only if the instance booted before
     */
    record Drain(String instanceId, boolean drain, java.time.Instant at, String reason) implements ScalingAction {
    }
}
