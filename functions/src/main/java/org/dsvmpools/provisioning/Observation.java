package org.dsvmpools.provisioning;

import java.time.Duration;
import java.util.Map;

/**
 * What a resource looks like in Azure now, reduced to what the reconciler decides on.
 *
 * @param id         the ARM id, once the resource exists
 * @param outputs    values later resources need (the scale set's identity, the public IP's DNS name), by name
 * @param lookAgain  when ARM suggests asking again (its {@code Retry-After}), or null when it said nothing
 * @param tags       the resource's tags as read, or null when the answer did not say (a create's first response, a
 *                   resource without tags in ARM)
 */
public record Observation(State state, String id, Map<String, String> outputs, Duration lookAgain,
                          Map<String, String> tags) {
    public enum State { MISSING, IN_PROGRESS, SUCCEEDED, FAILED }

    public Observation {
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
        tags = tags == null ? null : Map.copyOf(tags);
    }

    public Observation(State state, String id, Map<String, String> outputs, Duration lookAgain) {
        this(state, id, outputs, lookAgain, null);
    }

    /** This observation with the tags the resource carries. */
    public Observation withTags(Map<String, String> found) {
        return new Observation(state, id, outputs, lookAgain, found == null ? Map.of() : found);
    }

    public Observation(State state, String id, Map<String, String> outputs) {
        this(state, id, outputs, null);
    }

    public static Observation missing() {
        return new Observation(State.MISSING, null, Map.of());
    }

    public boolean is(State expected) {
        return state == expected;
    }
}
