package org.dsvmpools.scaling;

import java.util.Objects;

/**
 * One scale-set instance as the scaler sees it.
 *
 * @param protectedFromScaleIn whether ARM is told not to remove it in a scale-in
 * @param poweredOnAt          when it last started (from its instance view), or null when unknown: the baseline
 *                             for an agent that has never reported
 * @param draining             whether it is being drained: its agent fails the load balancer's health probe, so
 *                             it gets no new sessions while its users work on, and it goes once they have left
 */
public record Instance(String id, PowerState power, boolean protectedFromScaleIn, java.time.Instant poweredOnAt,
                       boolean draining) {
    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(power, "power");
    }

    public Instance(String id, PowerState power, boolean protectedFromScaleIn, java.time.Instant poweredOnAt) {
        this(id, power, protectedFromScaleIn, poweredOnAt, false);
    }

    public Instance draining(boolean draining) {
        return new Instance(id, power, protectedFromScaleIn, poweredOnAt, draining);
    }
}
