package org.dsvmpools.scaling;

import java.time.Duration;
import java.util.Objects;

/**
 * A pool's capacity rules, as the policy reads them.
 *
 * @param minDuringWork    the floor inside the work schedule (at least {@code min})
 * @param seatHeadroom     the most free seats kept above the active users, so that the next users find one
 * @param standby          deallocated instances kept for a fast start; idle instances beyond them are deleted
 * @param schedule         null when the pool has none: then only {@code min} is a floor
 */
public record ScalingConfig(int min, int max, int minDuringWork, int usersPerInstance, int seatHeadroom,
                            Duration idleTimeout, int standby, WorkSchedule schedule) {
    public ScalingConfig {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (min < 0 || max < min || usersPerInstance < 1 || seatHeadroom < 0 || standby < 0) {
            throw new IllegalArgumentException("inconsistent scaling config");
        }
    }

    /** How long a silent agent's instance still counts as busy: twice the idle timeout. */
    Duration silenceGrace() {
        return idleTimeout.multipliedBy(2);
    }
}
