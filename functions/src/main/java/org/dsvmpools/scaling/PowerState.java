package org.dsvmpools.scaling;

/** A scale-set instance's power state, as its instance view reports it. */
public enum PowerState {
    Creating, Starting, Running, Stopping, Deallocating, Deallocated;

    /** Counts as a seat now or shortly, so the policy does not ask for it again. */
    boolean isUpOrComing() {
        return this == Creating || this == Starting || this == Running;
    }
}
