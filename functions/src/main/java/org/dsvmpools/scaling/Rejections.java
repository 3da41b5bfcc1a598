package org.dsvmpools.scaling;

import java.time.Instant;

/**
 * Reports refused for a pool because they did not come from its own instances: how many, and the latest's reason.
 *
 * @param lastAt when the latest was refused, or null when none was
 */
public record Rejections(long count, Instant lastAt, String lastReason) {
    public static final Rejections NONE = new Rejections(0, null, null);
}
