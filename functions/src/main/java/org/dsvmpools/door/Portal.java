package org.dsvmpools.door;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolEvent;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolPage;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.StoredPool;

/**
 * The signed-in user's view of their pools, read from the same records the API reads (no second store): every
 * pool they own or are a user of; for one pool its state, instances and recent events, and for its owner also
 * the roster, which they may change here, and the forecast of the next hours.
 */
public final class Portal {
    /** How many pools the list reads at most: a page of the API's size, five times. */
    static final int MOST_POOLS_READ = 500;
    private static final int PAGE = 100;
    /** The pool page shows this many of the newest events. */
    public static final int EVENTS_SHOWN = 10;

    private final PoolRepository pools;
    private final DoorPorts.Rosters rosters;
    private final DoorPorts.PoolActivity activity;
    private final DoorPorts.RosterChanges changes;

    public Portal(PoolRepository pools, DoorPorts.Rosters rosters, DoorPorts.PoolActivity activity,
                  DoorPorts.RosterChanges changes) {
        this.pools = pools;
        this.rosters = rosters;
        this.activity = activity;
        this.changes = changes;
    }

    /** One line of the list: the pool, and whether this user owns it (or, as an admin, manages every pool). */
    public record PoolLine(Pool pool, boolean owner) {
    }

    /** Pools this user owns or may use, in the repository's order (the first {@link #MOST_POOLS_READ} read). */
    public List<PoolLine> poolsOf(SignedInUser user) {
        List<PoolLine> lines = new ArrayList<>();
        String token = null;
        int read = 0;
        do {
            PoolPage page = pools.list(token, PAGE);
            for (Pool pool : page.pools()) {
                boolean owner = owns(pool, user);
                if (owner || onRoster(pool.name(), user)) {
                    lines.add(new PoolLine(pool, owner));
                }
            }
            read += page.pools().size();
            token = page.continuationToken();
        } while (token != null && read < MOST_POOLS_READ);
        return lines;
    }

    /** What the portal shows of one pool. */
    public sealed interface View {
        /**
         * @param roster   the pool's users, for its owner; empty for a user
         * @param activity what the scaler last saw, if it has evaluated the pool
         */
        record Shown(Pool pool, boolean owner, List<RosterEntry> roster, Optional<DoorPorts.PoolActivity.Activity> activity,
                     List<PoolEvent> events) implements View {
        }

        record Refused(int status, String reason, String title, String detail) implements View {
        }
    }

    public View pool(PoolName name, SignedInUser user) {
        Optional<StoredPool> found = pools.find(name);
        if (found.isEmpty()) {
            return new View.Refused(404, "no-such-pool", "No such pool", "There is no pool named " + name + ".");
        }
        Pool pool = found.get().pool();
        boolean owner = owns(pool, user);
        List<RosterEntry> roster = rosters.of(name);
        if (!owner && !(RosterMatch.match(roster, user) instanceof RosterMatch.Result.OnRoster on
                && on.entry().active())) {
            return new View.Refused(403, "not-on-roster", "Not a user of this pool", user.shownAs()
                    + " is neither the owner nor a user of pool " + name + ".");
        }
        List<PoolEvent> events = pool.events();
        List<PoolEvent> newest = new ArrayList<>(events.subList(Math.max(0, events.size() - EVENTS_SHOWN),
                events.size()));
        java.util.Collections.reverse(newest);
        return new View.Shown(pool, owner, owner ? roster : List.of(), activity.of(name), newest);
    }

    /** An owner's addition to the roster; anyone else is refused. */
    public DoorPorts.RosterChanges.Change add(PoolName name, SignedInUser user, String email) {
        return asOwner(name, user).orElseGet(() -> changes.add(name, email));
    }

    /** An owner's removal from the roster; anyone else is refused. */
    public DoorPorts.RosterChanges.Change remove(PoolName name, SignedInUser user, String userName) {
        return asOwner(name, user).orElseGet(() -> changes.remove(name, userName));
    }

    private Optional<DoorPorts.RosterChanges.Change> asOwner(PoolName name, SignedInUser user) {
        Optional<StoredPool> found = pools.find(name);
        if (found.isEmpty()) {
            return Optional.of(new DoorPorts.RosterChanges.Change(false, "There is no pool named " + name + "."));
        }
        if (!owns(found.get().pool(), user)) {
            return Optional.of(new DoorPorts.RosterChanges.Change(false, "Only the owner of pool " + name
                    + " changes its users."));
        }
        return Optional.empty();
    }

    /**
     * Who requested the pool, by object id, or an admin ({@code Pools.Admin} among the account's roles): the same
     * rule as the API's.
     */
    static boolean owns(Pool pool, SignedInUser user) {
        return new Caller(user.objectId(), user.shownAs(), user.roles()).mayManage(pool.owner());
    }

    private boolean onRoster(PoolName pool, SignedInUser user) {
        return RosterMatch.match(rosters.of(pool), user) instanceof RosterMatch.Result.OnRoster on
                && on.entry().active();
    }
}
