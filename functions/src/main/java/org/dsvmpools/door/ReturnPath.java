package org.dsvmpools.door;

import java.util.regex.Pattern;
import org.dsvmpools.pool.PoolName;

/**
 * Where a browser goes back to once signed in: one of the door's own pages, never another site. It rides along
 * with the sign-in in the app's own table, so it is checked again when read back.
 */
public record ReturnPath(String value) {
    private static final Pattern OURS = Pattern.compile("/api/(p/[a-z0-9-]{1,64}|portal(/[a-z0-9-]{1,64})?)");
    public static final ReturnPath PORTAL = new ReturnPath("/api/portal");

    public ReturnPath {
        if (value == null || !OURS.matcher(value).matches()) {
            throw new IllegalArgumentException("not one of the front door's pages: " + value);
        }
    }

    /** The pool's door. */
    public static ReturnPath door(PoolName pool) {
        return new ReturnPath("/api/p/" + pool.value());
    }

    /** The pool's page in the portal. */
    public static ReturnPath portal(PoolName pool) {
        return new ReturnPath("/api/portal/" + pool.value());
    }
}
