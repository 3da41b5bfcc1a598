package org.dsvmpools.door;

import java.net.URI;
import java.time.Instant;

/** What the front door does for a signed-in user at a pool's address. */
public sealed interface DoorAnswer {
    /** A seat is free: on to the pool's JupyterHub, which signs the user in without asking (a login hint). */
    record ToHub(URI hub) implements DoorAnswer {
    }

    /**
     * A seat is free, for SSH: the pool's address, where its load balancer sends the connection to a serving
     * instance.
     *
     * @param user the user's account name on the pool's VMs
     */
    record ToSsh(String host, int port, String user) implements DoorAnswer {
    }

    /**
     * No seat yet: the pool is being set up or started; the page says what and refreshes.
     *
     * @param expectedReadyAt when a seat should be there, or null when nobody can say (a pool still deploying)
     * @param problem         why the last attempt did not give a seat (a quota, throttling), or null
     */
    record Waiting(String pool, String doing, Instant expectedReadyAt, String problem) implements DoorAnswer {
    }

    /**
     * The user cannot go in, and no wait will change it: the page says why.
     *
     * @param status the HTTP status the page is served with
     * @param reason a stable code for logs and tests ({@code not-on-roster}, {@code removed}, ...)
     */
    record Refused(int status, String reason, String title, String detail) implements DoorAnswer {
    }
}
