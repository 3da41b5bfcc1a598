package org.dsvmpools.emulator;

import java.time.Instant;
import java.util.UUID;

/**
 * One instance of a scale set, moving through Azure's power states (creating, starting, running, deallocating,
 * deallocated, deleting) on the emulator's clock, with a meter of the (Azure-time) seconds it spent running.
 */
final class ScaleSetInstance {
    final String instanceId;
    final String vmId = UUID.randomUUID().toString();
    String powerState;
    private String nextPowerState;
    private Instant transitionAt;
    boolean protectFromScaleIn;
    /** Base64, as ARM holds it; shown only when asked for with {@code $expand=userData}, as in Azure. */
    String userData;
    private double runningSeconds;
    private Instant runningSince;
    /** When the instance last changed state: the time ARM gives its provisioning status. */
    Instant changedAt;

    ScaleSetInstance(String instanceId, Instant readyAt) {
        this.instanceId = instanceId;
        this.powerState = "creating";
        this.nextPowerState = "running";
        this.transitionAt = readyAt;
    }

    /** Applies the transition due by {@code now}. */
    void advance(Instant now, TimeModel time) {
        if (transitionAt != null && !now.isBefore(transitionAt)) {
            enter(nextPowerState, transitionAt, time);
            transitionAt = null;
            nextPowerState = null;
        }
    }

    void begin(String during, String after, Instant doneAt, Instant now, TimeModel time) {
        advance(now, time);
        enter(during, now, time);
        nextPowerState = after;
        transitionAt = doneAt;
    }

    private void enter(String state, Instant at, TimeModel time) {
        if (powerState.equals("running") && !state.equals("running") && runningSince != null) {
            runningSeconds += time.azureSeconds(runningSince, at);
            runningSince = null;
        }
        if (state.equals("running") && !powerState.equals("running")) {
            runningSince = at;
        }
        powerState = state;
        changedAt = at;
    }

    boolean isBusy() {
        return transitionAt != null;
    }

    boolean isGone() {
        return powerState.equals("deleted");
    }

    String provisioningState() {
        return switch (powerState) {
            case "creating" -> "Creating";
            case "deleting" -> "Deleting";
            default -> isBusy() ? "Updating" : "Succeeded";
        };
    }

    double runningSeconds(Instant now, TimeModel time) {
        return runningSeconds + (runningSince == null ? 0 : time.azureSeconds(runningSince, now));
    }
}
