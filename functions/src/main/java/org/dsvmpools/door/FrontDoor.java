package org.dsvmpools.door;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolEndpoints;
import org.dsvmpools.pool.PoolFailure;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;

/**
 * A pool's always-open address: a signed-in user of the pool goes on to its JupyterHub when an instance has a
 * free seat, and otherwise wakes it and waits on a page that says what is happening. Everyone else is told why
 * not. The order matters: the roster is checked before anything about the pool's state is said, so a signed-in
 * stranger learns only that the pool exists.
 */
public final class FrontDoor {
    /** One wake per pool in this window, however many users wait: each one also re-evaluates the pool. */
    public static final Duration POOL_WAKE_WINDOW = Duration.ofSeconds(20);
    /** A user wakes pools at most this often per hour: enough for a day's work, not for keeping pools up. */
    public static final int USER_WAKES_PER_HOUR = 30;
    static final Duration USER_WAKE_WINDOW = Duration.ofHours(1);
    /** What the wake API promises for a standby instance; said again while a pool's wake is not repeated. */
    static final Duration EXPECTED_START = Duration.ofSeconds(95);

    private final PoolRepository pools;
    private final DoorPorts.Rosters rosters;
    private final DoorPorts.PoolSeats seats;
    private final DoorPorts.Waker waker;
    private final DoorPorts.WakeLedger ledger;
    private final Clock clock;

    public FrontDoor(PoolRepository pools, DoorPorts.Rosters rosters, DoorPorts.PoolSeats seats,
                     DoorPorts.Waker waker, DoorPorts.WakeLedger ledger, Clock clock) {
        this.pools = pools;
        this.rosters = rosters;
        this.seats = seats;
        this.waker = waker;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** The users' SSH port at the pool's address (the load balancer's rule to the instances' sshd). */
    public static final int SSH_PORT = 22;

    /** How the user comes in: through the browser to the hub, or with {@code dsvmpools connect} over SSH. */
    private enum Way { HUB, SSH }

    /** A browser at the pool's address: on to the hub, or a wait, or why not. */
    public DoorAnswer arrive(PoolName name, SignedInUser user) {
        return enter(name, user, Way.HUB);
    }

    /**
     * {@code dsvmpools connect}: the same roster, state and wake as the browser's, answered with the pool's SSH
     * address once a seat is free. A user without an SSH key is told so before anything is woken.
     */
    public DoorAnswer connect(PoolName name, SignedInUser user) {
        return enter(name, user, Way.SSH);
    }

    private DoorAnswer enter(PoolName name, SignedInUser user, Way way) {
        Optional<StoredPool> found = pools.find(name);
        if (found.isEmpty()) {
            return new DoorAnswer.Refused(404, "no-such-pool", "No such pool",
                    "There is no pool named " + name + ". Check the address you were given.");
        }
        Pool pool = found.get().pool();
        RosterMatch.Result match = RosterMatch.match(rosters.of(name), user);
        if (match instanceof RosterMatch.Result.Ambiguous ambiguous) {
            return new DoorAnswer.Refused(403, "ambiguous", "More than one user of this pool",
                    "Your account matches more than one user of pool " + name + " (" + String.join(", ",
                            ambiguous.names()) + "). Ask the pool's owner to remove the duplicate.");
        }
        if (match instanceof RosterMatch.Result.NotOnRoster) {
            return new DoorAnswer.Refused(403, "not-on-roster", "Not a user of this pool",
                    user.shownAs() + " is not a user of pool " + name + ". Ask the pool's owner ("
                            + pool.owner().name() + ") to add you.");
        }
        RosterEntry entry = ((RosterMatch.Result.OnRoster) match).entry();
        if (!entry.active()) {
            return new DoorAnswer.Refused(403, "removed", "Your access was removed",
                    "Your access to pool " + name + " has been removed. Ask the pool's owner ("
                            + pool.owner().name() + ") if that is a mistake.");
        }
        if (way == Way.SSH && !entry.sshKey()) {
            return new DoorAnswer.Refused(403, "no-ssh-key", "No SSH key",
                    "You (" + entry.name() + ") have no SSH key on pool " + name + ", so sshd would not let you in."
                            + " Ask the pool's owner (" + pool.owner().name() + ") to add your public key, or"
                            + " use JupyterHub through the pool's front door.");
        }
        return switch (pool.status()) {
            case Deleting, Deleted -> new DoorAnswer.Refused(410, "deleted", "Pool deleted",
                    "Pool " + name + " has been deleted" + (pool.status() == PoolStatus.Deleting
                            ? " (its resources are being removed)" : "") + ". Your files on its share are kept"
                            + " only if its owner kept them; ask them.");
            case Failed -> new DoorAnswer.Refused(503, "failed", "Pool failed",
                    "Pool " + name + " could not be deployed" + failure(pool.progress().failure())
                            + ". Its owner can retry it (POST /api/pools/" + name + "/retry).");
            case Accepted, Provisioning -> new DoorAnswer.Waiting(name.value(), pool.status() == PoolStatus.Accepted
                    ? "The pool is queued to be set up." : "The pool is being set up or changed.", null,
                    pool.progress().failure() == null ? null : failure(pool.progress().failure()).substring(2));
            case Ready -> ready(pool, user, entry, way);
        };
    }

    private DoorAnswer ready(Pool pool, SignedInUser user, RosterEntry entry, Way way) {
        Optional<Seats> seen = seats.of(pool.name());
        PoolEndpoints endpoints = pool.progress().endpoints();
        String hub = endpoints == null ? null : endpoints.jupyterHub();
        String host = endpoints == null ? null : endpoints.dnsName();
        if ((way == Way.HUB ? hub : host) != null && seen.map(s -> s.free(pool.spec().usersPerInstance())).orElse(0) > 0) {
            return way == Way.HUB ? new DoorAnswer.ToHub(hubSignIn(hub, user))
                    : new DoorAnswer.ToSsh(host, SSH_PORT, entry.name());
        }
        String problem = seen.map(Seats::lastFailure).orElse(null);
        Instant now = clock.instant();
        Optional<Instant> poolWoken = ledger.count("pool:" + pool.name(), 1, POOL_WAKE_WINDOW, now);
        if (poolWoken.isPresent()) {
            // Somebody woke it a moment ago: the same promise, no second request.
            return new DoorAnswer.Waiting(pool.name().value(), starting(seen, way), poolWoken.get().plus(EXPECTED_START),
                    problem);
        }
        Optional<Instant> userLimited = ledger.count("user:" + user.objectId(), USER_WAKES_PER_HOUR,
                USER_WAKE_WINDOW, now);
        if (userLimited.isPresent()) {
            return new DoorAnswer.Refused(429, "wake-limit", "Too many starts",
                    "You have started pools " + USER_WAKES_PER_HOUR + " times within the hour. Try again after "
                            + userLimited.get().plus(USER_WAKE_WINDOW) + ".");
        }
        DoorPorts.Waker.Woken woken = waker.wake(pool.name());
        if (woken.refusal() != null) {
            return new DoorAnswer.Refused(503, "not-woken", "The pool cannot be started", woken.refusal());
        }
        return new DoorAnswer.Waiting(pool.name().value(), starting(seen, way), woken.expectedReadyAt(), problem);
    }

    private static String starting(Optional<Seats> seen, Way way) {
        if (seen.map(Seats::comingUp).orElse(0L) > 0) {
            return way == Way.HUB ? "An instance is up; its JupyterHub is starting."
                    : "An instance is up; it is finishing its start (sshd, your account, the share).";
        }
        long starting = seen.map(Seats::starting).orElse(0L);
        return starting > 0 ? "An instance is starting for you." : "Starting an instance for you.";
    }

    private static String failure(PoolFailure failure) {
        return failure == null ? "" : ": " + failure.code() + ": " + failure.message();
    }

    /**
     * The hub's own sign-in, told who is coming: Entra then signs in the account the browser already has a
     * session for, without asking (the {@code login_hint} parameter of the authorization request).
     */
    static URI hubSignIn(String hub, SignedInUser user) {
        String base = hub.endsWith("/") ? hub : hub + "/";
        String hint = !user.signInName().isBlank() ? user.signInName() : user.email();
        return URI.create(base + "hub/oauth_login" + (hint.isBlank() ? ""
                : "?login_hint=" + URLEncoder.encode(hint, StandardCharsets.UTF_8)));
    }
}
