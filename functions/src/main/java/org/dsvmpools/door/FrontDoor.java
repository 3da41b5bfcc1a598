package org.dsvmpools.door;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.dsvmpools.pool.Pool;
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

    public DoorAnswer arrive(PoolName name, SignedInUser user) {
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
        if (!((RosterMatch.Result.OnRoster) match).entry().active()) {
            return new DoorAnswer.Refused(403, "removed", "Your access was removed",
                    "Your access to pool " + name + " has been removed. Ask the pool's owner ("
                            + pool.owner().name() + ") if that is a mistake.");
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
            case Ready -> ready(pool, user);
        };
    }

    private DoorAnswer ready(Pool pool, SignedInUser user) {
        Optional<Seats> seen = seats.of(pool.name());
        String hub = pool.progress().endpoints() == null ? null : pool.progress().endpoints().jupyterHub();
        if (hub != null && seen.map(s -> s.free(pool.spec().usersPerInstance())).orElse(0) > 0) {
            return new DoorAnswer.ToHub(hubSignIn(hub, user));
        }
        String problem = seen.map(Seats::lastFailure).orElse(null);
        Instant now = clock.instant();
        Optional<Instant> poolWoken = ledger.count("pool:" + pool.name(), 1, POOL_WAKE_WINDOW, now);
        if (poolWoken.isPresent()) {
            // Somebody woke it a moment ago: the same promise, no second request.
            return new DoorAnswer.Waiting(pool.name().value(), starting(seen), poolWoken.get().plus(EXPECTED_START),
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
        return new DoorAnswer.Waiting(pool.name().value(), starting(seen), woken.expectedReadyAt(), problem);
    }

    private static String starting(Optional<Seats> seen) {
        if (seen.map(Seats::comingUp).orElse(0L) > 0) {
            return "An instance is up; its JupyterHub is starting.";
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
