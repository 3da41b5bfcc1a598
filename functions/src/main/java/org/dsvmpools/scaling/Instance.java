package org.dsvmpools.scaling;

import java.util.Objects;

/**
 * One scale-set instance as the scaler sees it.
 *
 * @param protectedFromScaleIn whether ARM is told not to remove it in a scale-in
 * @param poweredOnAt          when it last started (from its instance view), or null when unknown: the baseline
 *                             for an agent that has never reported
 */
public record Instance(String id, PowerState power, boolean protectedFromScaleIn, java.time.Instant poweredOnAt) {
    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(power, "power");
    }
}
