package org.dsvmpools.scaling;

import java.time.Instant;
import java.util.List;

/**
 * What the scaler last saw and decided for a pool, for {@code GET /api/pools/{name}}: its instances with power
 * state and active users, and the decision with its reasons.
 */
public record ScalingSnapshot(Instant at, String summary, List<InstanceState> instances, List<String> actions,
                              List<String> warnings) {
    public ScalingSnapshot {
        instances = List.copyOf(instances);
        actions = List.copyOf(actions);
        warnings = List.copyOf(warnings);
    }

    /** @param drainingSince when the scaler drained it, or null when it takes new sessions */
    public record InstanceState(String id, PowerState power, boolean protectedFromScaleIn, List<String> users,
                                Instant drainingSince) {
        public InstanceState {
            users = List.copyOf(users);
        }
    }
}
