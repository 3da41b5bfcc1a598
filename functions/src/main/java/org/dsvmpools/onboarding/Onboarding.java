package org.dsvmpools.onboarding;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.OnConflict;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;

/**
 * Onboarding and offboarding, the same for events and the admin API.
 *
 * <ul>
 *   <li>Ordered by event time: a change older than (or as old as) the last one applied to the user changes
 *       nothing, so duplicates and late deliveries are harmless, and a removal that overtook its addition leaves
 *       a tombstone that the addition then loses to.</li>
 *   <li>Adding records the user (Pending, with a uid kept for good), creates {@code users/<name>/notebooks} and
 *       puts the user into the manifest. The roster records what was asked and the manifest what the instances are
 *       told: a user is Ready once the manifest carries their latest change, which is read from the manifest, not
 *       written to the roster a second time (one table write per onboarding, not two).</li>
 *   <li>Removing never deletes data: the folder moves to {@code archive/<name>-<time>}, the manifest marks the
 *       user removed.</li>
 * </ul>
 */
public final class Onboarding {
    private final ReadyPools pools;
    private final RosterStore roster;
    private final PoolShare share;
    private final Clock clock;
    private final int maxUsers;

    /**
     * The most users (not removed) one pool's roster holds by default. Every instance reads the whole manifest each
     * minute and the hub holds it in memory: 200 users with the ten 4,096-character keys each may have is 8 MB, about
     * as much as a manifest should be; a team of data scientists sharing one pool is far smaller (#27).
     */
    public static final int DEFAULT_MAX_USERS = 200;

    public Onboarding(PoolRepository pools, RosterStore roster, PoolShare share, Clock clock) {
        this(pools, roster, share, clock, DEFAULT_MAX_USERS);
    }

    public Onboarding(PoolRepository pools, RosterStore roster, PoolShare share, Clock clock, int maxUsers) {
        this.clock = clock;
        this.maxUsers = maxUsers;
        this.pools = new ReadyPools(pools, clock);
        this.roster = roster;
        this.share = share;
    }

    /** What a change came to. */
    public sealed interface Outcome {
        record Done(Member member) implements Outcome {
        }

        /**
         * Nothing to do: a duplicate, or older than what was applied.
         *
         * @param superseded a newer change to the user was applied: this one was not, and never will be
         */
        record Unchanged(Member member, String why, boolean superseded) implements Outcome {
            Unchanged(Member member, String why) {
                this(member, why, false);
            }

            public static Unchanged superseded(Member known) {
                return new Unchanged(known, "a change as new or newer was applied at " + known.changedAt(), true);
            }
        }

        /** No such pool, or one being deleted: acknowledged, there is nothing to onboard onto. */
        record NoPool(PoolName pool, String why) implements Outcome {
        }

        /** The pool is still being deployed: the change is worth trying again later. */
        record PoolNotReady(PoolName pool, PoolStatus status) implements Outcome {
        }

        /** The name belongs to another person of the pool. */
        record NameTaken(LinuxUserName name, String email) implements Outcome {
        }

        /** The pool has as many users as it may: a new one is refused until someone is removed. */
        record RosterFull(PoolName pool, int maxUsers) implements Outcome {
        }
    }

    public Outcome add(PoolName poolName, NewUser user, Instant requestedAt) {
        Objects.requireNonNull(user.name(), "name");
        Instant at = changeTime(requestedAt);
        Optional<StoredPool> pool = pools.find(poolName);
        Optional<Outcome> blocked = blocked(poolName, pool);
        if (blocked.isPresent()) {
            return blocked.get();
        }
        if (user.name().value().equals(pool.orElseThrow().pool().spec().access().adminUsername())) {
            // The admin's account exists on every instance; the roster agent would refuse it there too.
            return new Outcome.NameTaken(user.name(), "the pool's admin");
        }
        ShareRef where = shareOf(pool.orElseThrow().pool());
        // Most additions are of new users: the entry is created straight away, and read only when it exists.
        boolean[] read = {false};
        return OnConflict.retry(() -> {
            Optional<RosterStore.Stored> current = read[0] ? roster.find(poolName, user.name()) : Optional.empty();
            read[0] = true;
            return addOver(poolName, where, user, at, current);
        });
    }

    /** Counted for a new user only: one read of the pool's roster, which re-adding and retries never pay. */
    private long activeUsers(PoolName poolName) {
        return roster.list(poolName).stream().filter(member -> member.state() != MemberState.Removed).count();
    }

    /** One attempt at an addition over the entry as read (empty: none, as far as this attempt knows). */
    private Outcome addOver(PoolName poolName, ShareRef where, NewUser user, Instant at,
                            Optional<RosterStore.Stored> current) {
        if (current.isPresent()) {
            Member known = current.get().member();
            if (!at.isAfter(known.changedAt())) {
                // This very addition, recorded: if the manifest lacks it, it failed half-way and is done again.
                boolean thisChange = known.state() == MemberState.Pending && at.equals(known.changedAt());
                if (!thisChange) {
                    return Outcome.Unchanged.superseded(known);
                }
                if (published(poolName, where, known)) {
                    if (known.attempt() != null) {
                        quietly(() -> roster.replace(poolName, current.get(), known.withAttempt(null)));
                    }
                    return new Outcome.Unchanged(known.with(MemberState.Ready, at, null), "already applied");
                }
            }
            if (known.email() != null && user.email() != null && !known.email().equalsIgnoreCase(user.email())) {
                return new Outcome.NameTaken(user.name(), known.email());
            }
        }
        int uid = current.map(s -> s.member().uid()).filter(u -> u > 0).orElseGet(() -> roster.allocateUid(poolName));
        // Adding a user who is on the roster merges (#27): what the request leaves out keeps its value, what it gives
        // replaces it, so a second add with only an email never drops their keys. After a removal it starts afresh.
        Optional<Member> active = current.map(RosterStore.Stored::member)
                .filter(known -> known.state() != MemberState.Removed);
        if (active.isEmpty() && activeUsers(poolName) >= maxUsers) {
            // The first attempt does not read the entry: the user may be on the roster, and then is no new one.
            Optional<RosterStore.Stored> found = current.isPresent() ? Optional.empty() : roster.find(poolName, user.name());
            return found.isPresent() ? addOver(poolName, where, user, at, found)
                    : new Outcome.RosterFull(poolName, maxUsers);
        }
        Member pending = new Member(user.name(),
                user.email() != null ? user.email() : active.map(Member::email).orElse(null),
                user.displayName() != null ? user.displayName() : active.map(Member::displayName).orElse(null),
                !user.sshPublicKeys().isEmpty() ? user.sshPublicKeys()
                        : active.map(Member::sshPublicKeys).orElse(List.of()),
                user.entraObjectId() != null ? user.entraObjectId() : active.map(Member::entraObjectId).orElse(null),
                uid, MemberState.Pending, at, null);
        if (current.isPresent()) {
            roster.replace(poolName, current.get(), pending);
        } else {
            roster.create(poolName, pending);
        }
        // A retry of this very change keeps its count of attempts, for the back-off.
        Member.Attempt before = current.map(RosterStore.Stored::member).filter(known -> known.changedAt().equals(at)
                && known.state() == MemberState.Pending).map(Member::attempt).orElse(null);
        try {
            share.ensureDirectories(where, UserFolders.home(user.name()));
            publish(poolName, where, List.of(pending));
        } catch (RuntimeException e) {
            noteFailure(poolName, pending, before, e);
            throw e;
        }
        return new Outcome.Done(pending.with(MemberState.Ready, at, null));
    }

    /**
     * Records on the roster entry why its change failed half-way and when {@link #retryPending} does it again
     * (#26), so a user added during a Files or Graph outage is Ready minutes after it ends, not at the next daily
     * run. Best effort: when the roster cannot be written either, the daily run still repairs the user.
     */
    private void noteFailure(PoolName pool, Member pending, Member.Attempt before, RuntimeException e) {
        String why = e instanceof PoolShare.AccessDeniedException ? e.getMessage()
                : "the pool's file share could not be written (" + share.explain(e) + ")";
        Member.Attempt attempt = Member.Attempt.after(before, why, clock.instant());
        quietly(() -> roster.find(pool, pending.name()).filter(stored -> stored.member().changedAt()
                .equals(pending.changedAt()) && stored.member().state() == MemberState.Pending)
                .ifPresent(stored -> roster.replace(pool, stored, stored.member().withAttempt(attempt))));
    }

    private static void quietly(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException unrecorded) {
            // The roster is down too: the daily run repairs what this could not record.
        }
    }

    /**
     * Does again the additions of {@code poolName} that failed half-way and whose retry time has come; one line per
     * user. A user that fails again is tried later, each time twice as late (at most {@link
     * Member.Attempt#MAX_BACKOFF}); one user's failure does not stop the others.
     */
    public List<String> retryPending(PoolName poolName) {
        Instant now = clock.instant();
        if (blocked(poolName, pools.find(poolName)).isPresent()) {
            return List.of();
        }
        List<String> lines = new java.util.ArrayList<>();
        for (Member member : roster.list(poolName)) {
            if (member.state() != MemberState.Pending || member.attempt() == null || !member.attempt().dueAt(now)) {
                continue;
            }
            try {
                Outcome outcome = add(poolName, member.asNewUser(), member.changedAt());
                lines.add(member.name() + ": " + (outcome instanceof Outcome.Done ? "onboarded on retry "
                        + (member.attempt().count() + 1) : outcome.getClass().getSimpleName()));
            } catch (RuntimeException e) {
                lines.add(member.name() + ": failed again (" + e.getClass().getSimpleName() + ")");
            }
        }
        return lines;
    }

    /**
     * Change times are kept to the microsecond. The roster's table keeps 100 ns, so a time with nanoseconds (a
     * pool's creation time, which initial users are added as of) would come back from it as an older time, and
     * the same change delivered again would look newer than itself.
     */
    private static Instant changeTime(Instant requested) {
        return requested.truncatedTo(ChronoUnit.MICROS);
    }

    /** Whether the manifest carries {@code member}'s change: a duplicate touches no file but this read. */
    private boolean published(PoolName pool, ShareRef where, Member member) {
        return carries(publishedIn(pool, where), member);
    }

    /**
     * Sets these entries in the manifest. One that does not parse (left so by a writer of an older version, or
     * damaged) is rebuilt from the roster, which is the record and already holds these changes.
     */
    private void publish(PoolName pool, ShareRef where, List<Member> changes) {
        try {
            share.updateManifest(where, changes);
        } catch (Manifest.UnreadableException unreadable) {
            share.rebuildManifest(where, roster.list(pool));
        }
    }

    private Map<LinuxUserName, Instant> publishedIn(PoolName pool, ShareRef where) {
        try {
            return share.published(where);
        } catch (Manifest.UnreadableException unreadable) {
            share.rebuildManifest(where, roster.list(pool));
            return share.published(where);
        }
    }

    /** Whether a manifest whose entries changed at {@code published} carries {@code member}'s latest change. */
    private static boolean carries(Map<LinuxUserName, Instant> published, Member member) {
        return !published.getOrDefault(member.name(), Instant.MIN).isBefore(member.changedAt());
    }

    public Outcome remove(PoolName poolName, LinuxUserName name, Instant requestedAt) {
        Instant at = changeTime(requestedAt);
        Optional<StoredPool> pool = pools.find(poolName);
        Optional<Outcome> blocked = blocked(poolName, pool);
        if (blocked.isPresent()) {
            return blocked.get();
        }
        ShareRef where = shareOf(pool.orElseThrow().pool());
        return OnConflict.retry(() -> removeOver(poolName, where, name, at, roster.find(poolName, name)));
    }

    /** One attempt at a removal over the entry as read. */
    private Outcome removeOver(PoolName poolName, ShareRef where, LinuxUserName name, Instant at,
                               Optional<RosterStore.Stored> current) {
        if (current.isEmpty()) {
            // A tombstone: an addition that was sent before this removal but arrives after it loses.
            Member tombstone = new Member(name, null, null, List.of(), null, 0, MemberState.Removed, at, null);
            roster.create(poolName, tombstone);
            return new Outcome.Done(tombstone);
        }
        Member known = current.get().member();
        if (at.equals(known.changedAt()) && known.state() == MemberState.Removed && known.archive() != null) {
            // This very removal again: its move and manifest change may have failed half-way; both repeat safely.
            archive(poolName, where, known);
            return new Outcome.Done(known);
        }
        if (!at.isAfter(known.changedAt())) {
            return Outcome.Unchanged.superseded(known);
        }
        if (known.state() == MemberState.Removed) {
            return new Outcome.Unchanged(known, "already removed");
        }
        Member removed = known.with(MemberState.Removed, at, UserFolders.archive(name, at));
        roster.replace(poolName, current.get(), removed);
        archive(poolName, where, removed);
        return new Outcome.Done(removed);
    }

    private void archive(PoolName pool, ShareRef where, Member removed) {
        share.move(where, UserFolders.USERS + "/" + removed.name().value(), removed.archive());
        publish(pool, where, List.of(removed));
    }

    /**
     * A Deleted pool's name requested again without its roster (#27, {@code Pool.rosterSince}): the users of the
     * earlier life are removed as of the moment before the new one began, each folder archived and the manifest
     * saying so, so no instance of the new life makes their accounts or mounts their keys. Users added since are
     * untouched; repeating it changes nothing. Run when the pool becomes Ready and by every manifest refresh.
     *
     * @return one line per user removed
     */
    public List<String> endEarlierLife(PoolName poolName) {
        Optional<StoredPool> pool = pools.fresh(poolName);
        if (pool.isEmpty() || pool.get().pool().rosterSince() == null || blocked(poolName, pool).isPresent()) {
            return List.of();
        }
        Instant newLife = pool.get().pool().rosterSince();
        List<String> removed = new ArrayList<>();
        for (Member member : roster.list(poolName)) {
            if (member.state() != MemberState.Removed && member.changedAt().isBefore(newLife)) {
                Outcome outcome = remove(poolName, member.name(), newLife.minus(1, ChronoUnit.MICROS));
                if (outcome instanceof Outcome.Done) {
                    removed.add(member.name() + " removed with the pool's earlier life");
                }
            }
        }
        return removed;
    }

    /**
     * Puts every roster entry into the manifest again (newer entries there stay), after creating the folders of
     * additions the manifest lacks: the daily repair for a change whose writer crashed half-way and whose event
     * never came again, or a manifest two app instances created at the same moment.
     */
    public void refreshManifest(PoolName poolName) {
        endEarlierLife(poolName);
        Optional<StoredPool> pool = pools.find(poolName);
        if (blocked(poolName, pool).isPresent()) {
            return;
        }
        ShareRef where = shareOf(pool.get().pool());
        List<Member> members = roster.list(poolName);
        Map<LinuxUserName, Instant> published = publishedIn(poolName, where);
        for (Member member : members) {
            if (member.state() == MemberState.Pending && !carries(published, member)) {
                try {
                    share.ensureDirectories(where, UserFolders.home(member.name()));
                } catch (RuntimeException e) {
                    // One user's folder (a name Files refuses, say) must not keep the others out of the manifest.
                    System.getLogger(Onboarding.class.getName()).log(System.Logger.Level.WARNING, "pool " + poolName
                            + ": folder of " + member.name() + " not made: " + e.getMessage());
                }
            }
        }
        publish(poolName, where, members);
    }

    /**
     * Whether the pool exists and has no user {@code name}, or only a removed one: one roster read, no manifest
     * read, for the admin API's 404 before a removal.
     */
    public boolean lacksUser(PoolName poolName, LinuxUserName name) {
        return pools.find(poolName).isPresent() && roster.find(poolName, name)
                .filter(stored -> stored.member().state() != MemberState.Removed).isEmpty();
    }

    /** Whether {@code caller} may change the pool's users: its owner or an admin (true for an unknown pool). */
    public boolean mayManage(PoolName poolName, Caller caller) {
        return pools.find(poolName).map(found -> caller.mayManage(found.pool().owner())).orElse(true);
    }

    /**
     * The pool's users, each Pending until the manifest carries their latest change, then Ready; empty for an unknown
     * pool. The roster keeps every active user Pending, so the manifest is read once per listing, unless nobody is.
     */
    public Optional<List<Member>> members(PoolName poolName) {
        Optional<StoredPool> pool = pools.find(poolName);
        if (pool.isEmpty()) {
            return Optional.empty();
        }
        List<Member> members = roster.list(poolName);
        if (members.stream().noneMatch(m -> m.state() == MemberState.Pending)
                || blocked(poolName, pool).isPresent()) {
            return Optional.of(members);
        }
        Map<LinuxUserName, Instant> published = publishedIn(poolName, shareOf(pool.get().pool()));
        return Optional.of(members.stream().map(m -> m.state() == MemberState.Pending && carries(published, m)
                ? m.with(MemberState.Ready, m.changedAt(), null) : m).toList());
    }

    private static Optional<Outcome> blocked(PoolName poolName, Optional<StoredPool> found) {
        if (found.isEmpty()) {
            return Optional.of(new Outcome.NoPool(poolName, "no pool " + poolName));
        }
        PoolStatus status = found.get().pool().status();
        return switch (status) {
            case Ready -> Optional.empty();
            case Accepted, Provisioning -> Optional.of(new Outcome.PoolNotReady(poolName, status));
            default -> Optional.of(new Outcome.NoPool(poolName, "pool " + poolName + " is " + status));
        };
    }

    static ShareRef shareOf(Pool pool) {
        AzureNames names = AzureNames.of(pool.name());
        return new ShareRef(AzureNames.resourceGroupOf(pool.spec()), names.storageAccount(), names.fileShare());
    }
}
