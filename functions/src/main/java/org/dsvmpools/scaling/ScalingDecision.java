package org.dsvmpools.scaling;

import java.util.List;

/**
 * What one evaluation decided: the actions (possibly none) and why, plus warnings the pool's history should
 * carry (an agent gone silent).
 *
 * @param activeUsers users with a live session or a busy kernel
 * @param target      how many instances should be up or coming after the actions
 */
public record ScalingDecision(List<ScalingAction> actions, List<String> warnings, int activeUsers, int target,
                              String summary) {
    public ScalingDecision {
        actions = List.copyOf(actions);
        warnings = List.copyOf(warnings);
    }

    /** The same decision with {@code more} warnings after its own. */
    public ScalingDecision withWarnings(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new java.util.ArrayList<>(warnings);
        all.addAll(more);
        return new ScalingDecision(actions, all, activeUsers, target, summary);
    }
}
