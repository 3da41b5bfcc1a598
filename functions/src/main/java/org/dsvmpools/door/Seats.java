package org.dsvmpools.door;

import java.time.Instant;
import java.util.List;

/**
 * A pool's instances as the scaler last saw them, for the front door's one question: may a user go in now?
 *
 * @param seenAt      when the scaler saw them
 * @param instances   each instance's power and users
 * @param lastFailure why the scaler's last evaluation of the pool failed (a quota, throttling), or null
 */
public record Seats(Instant seenAt, List<InstanceSeats> instances, String lastFailure) {
    public Seats {
        instances = List.copyOf(instances);
    }

    /**
     * One instance: {@code running} in ARM's view; {@code answering} once its agent has reported lately (ARM
     * says Running a minute or more before cloud-init and JupyterHub are up; the agent starts after both);
     * {@code draining} once the scaler stopped sending it users.
     */
    public record InstanceSeats(boolean running, boolean answering, boolean starting, boolean draining, int users) {
    }

    /** Seats free on instances that answer and take new sessions, {@code perInstance} users to each. */
    public int free(int perInstance) {
        return instances.stream().filter(i -> i.running() && i.answering() && !i.draining())
                .mapToInt(i -> Math.max(0, perInstance - i.users())).sum();
    }

    /** Instances up in ARM's view whose hub is not answering yet. */
    public long comingUp() {
        return instances.stream().filter(i -> i.running() && !i.answering() && !i.draining()).count();
    }

    /** Instances on their way up. */
    public long starting() {
        return instances.stream().filter(InstanceSeats::starting).count();
    }
}
