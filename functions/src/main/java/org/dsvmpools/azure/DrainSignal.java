package org.dsvmpools.azure;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.dsvmpools.scaling.ScalingAction;

/**
 * How the scaler tells an instance's agent to drain: the instance's user data, which the agent reads from the
 * instance metadata service every minute and which ARM can change without touching the running VM. It holds no
 * secret (any process on the VM can read it). User data outlives a deallocation, so it carries the time of the
 * drain, and the agent ignores a drain older than the instance's boot.
 */
final class DrainSignal {
    private DrainSignal() {
    }

    /** Base64, as ARM takes user data: {@code {"dsvmpools":{"drainedAt":"..."}}}, or no drain. */
    static String userData(ScalingAction.Drain drain) {
        String json = drain.drain() ? "{\"dsvmpools\":{\"drainedAt\":\"" + drain.at() + "\"}}" : "{\"dsvmpools\":{}}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
