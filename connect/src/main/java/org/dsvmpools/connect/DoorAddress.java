package org.dsvmpools.connect;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which front door and which pool: either the pool's address as its owner hands it out
 * ({@code https://<app>/api/p/<pool>}), or a pool's name with the door's base ({@code https://<app>/api}).
 *
 * @param base the door's base, without a trailing slash
 */
record DoorAddress(URI base, String pool) {
    /**
     * What may stand in the door's path; whether it is a pool's name is the door's rule to say (one place), and
     * it answers 400 saying why.
     */
    private static final Pattern POOL = Pattern.compile("[A-Za-z0-9-]{1,63}");

    /**
     * @param given a pool's name or address
     * @param door  the door's base (option or {@code DSVMPOOLS_DOOR}), needed with a bare name
     * @return the address, or why {@code given} names none
     */
    static Result parse(String given, Optional<String> door) {
        int at = given.indexOf("/p/");
        if (given.startsWith("https://") || given.startsWith("http://")) {
            if (at < 0) {
                return Result.problem(given + " is not a pool's address: it has no /p/<pool>");
            }
            String pool = given.substring(at + 3).replaceAll("/+$", "");
            return of(URI.create(given.substring(0, at)), pool);
        }
        if (door.isEmpty()) {
            return Result.problem("which front door? Give the pool's address (https://<app>/api/p/" + given
                    + "), or --door https://<app>/api, or set DSVMPOOLS_DOOR");
        }
        return of(URI.create(door.get().replaceAll("/+$", "")), given);
    }

    private static Result of(URI base, String pool) {
        if (!POOL.matcher(pool).matches()) {
            return Result.problem("'" + pool + "' is not a pool name (letters, digits and hyphens)");
        }
        if (!"https".equals(base.getScheme()) && !isLoopback(base)) {
            // The door's answers carry the user's bearer token's fruits: never over plain http off this machine.
            return Result.problem(base + " is not https: a front door is only reached over https (http only on"
                    + " 127.0.0.1, for the dev stack)");
        }
        return new Result(new DoorAddress(base, pool), null);
    }

    private static boolean isLoopback(URI uri) {
        return "http".equals(uri.getScheme()) && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
    }

    /** The address, or why there is none. */
    record Result(DoorAddress address, String problem) {
        static Result problem(String why) {
            return new Result(null, why);
        }
    }
}
