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
    private final Figures figures;

    /** What the portal counts beside the records: sessions, instance-hours, prices, and the week's start. */
    public record Figures(DoorPorts.UserSessions sessions, DoorPorts.PoolHours hours, DoorPorts.ComputePrices prices,
                          java.time.Clock clock) {
    }

    public Portal(PoolRepository pools, DoorPorts.Rosters rosters, DoorPorts.PoolActivity activity,
                  DoorPorts.RosterChanges changes, Figures figures) {
        this.pools = pools;
        this.rosters = rosters;
        this.activity = activity;
        this.changes = changes;
        this.figures = figures;
    }

    /**
     * One line of the list: the pool, whether this user owns it (or, as an admin, manages every pool), and their
     * own sessions on it this week (null when they are not one of its users).
     */
    public record PoolLine(Pool pool, boolean owner, DoorPorts.UserSessions.Summary sessionsThisWeek) {
    }

    /**
     * A pool's compute so far this month: the scaler's instance-hours, times the size's pay-as-you-go price when
     * the price list gives one.
     */
    public record Cost(java.time.YearMonth month, double instanceHours, String vmSize, String region,
                       DoorPorts.ComputePrices.Priced price) {
        /** The estimate, or null without a price. */
        public Double amount() {
            return price.amount() == null ? null : Math.round(instanceHours * price.amount() * 100) / 100.0;
        }
    }

    /** Monday 00:00 UTC of this week: the week the portal's "this week" means. */
    public java.time.Instant weekStart() {
        return java.time.LocalDate.ofInstant(figures.clock().instant(), java.time.ZoneOffset.UTC)
                .with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
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
                Optional<RosterEntry> entry = entryOf(pool.name(), user);
                if (owner || entry.isPresent()) {
                    lines.add(new PoolLine(pool, owner, entry.map(e -> figures.sessions().of(pool.name(), e.name(),
                            weekStart())).orElse(null)));
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
                     List<PoolEvent> events, Optional<Cost> cost) implements View {
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
        Optional<Cost> cost = owner ? figures.hours().of(name).map(hours -> new Cost(hours.month(),
                hours.instanceHours(), pool.spec().vmSize(), pool.spec().location(),
                figures.prices().hourly(pool.spec().location(), pool.spec().vmSize()))) : Optional.empty();
        return new View.Shown(pool, owner, owner ? roster : List.of(), activity.of(name), newest, cost);
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

    private Optional<RosterEntry> entryOf(PoolName pool, SignedInUser user) {
        return RosterMatch.match(rosters.of(pool), user) instanceof RosterMatch.Result.OnRoster on
                && on.entry().active() ? Optional.of(on.entry()) : Optional.empty();
    }
}
