package org.dsvmpools.simulate;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.dsvmpools.scaling.ScalingAction;

/** A capacity policy under simulation: ours, or a peer implemented from its documentation. */
interface SimPolicy {
    String name();

    /** Prepares the pool before the trace starts (the AVD peer needs its hosts to exist). */
    default void prepare(SimulatedPool pool) {
    }

    /**
     * What to do now. Called on every one-minute tick, and between ticks whenever users are waiting for a seat
     * ({@code tick} false), since both the product's wake call and AVD's Start VM on Connect react at once.
     */
    List<ScalingAction> decide(SimulatedPool pool, int waitingUsers, Instant now, boolean tick);

    /**
     * Whether every user arrives through a door of the policy's own that sees them at once, whatever the share of
     * users the simulation sends through dsvm-pools' front door: AVD's gateway (Start VM on Connect) is one.
     */
    default boolean ownsTheDoor() {
        return false;
    }

    /** The users its forecast expects at {@code now}, for the plot; empty for a policy that does not forecast. */
    default Optional<Integer> forecastUsers(Instant now) {
        return Optional.empty();
    }
}
