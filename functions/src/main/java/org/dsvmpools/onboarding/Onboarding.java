package org.dsvmpools.onboarding;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;
import org.dsvmpools.provisioning.Blueprint;

/**
 * Onboarding and offboarding, the same for events and the admin API.
 *
 * <ul>
 *   <li>Ordered by event time: a change older than (or as old as) the last one applied to the user changes
 *       nothing, so duplicates and late deliveries are harmless, and a removal that overtook its addition leaves
 *       a tombstone that the addition then loses to.</li>
 *   <li>Adding records the user (Pending, with a uid kept for good), creates {@code users/<name>/notebooks},
 *       rewrites the manifest, and marks the user Ready.</li>
 *   <li>Removing never deletes data: the folder moves to {@code archive/<name>-<time>}, the manifest marks the
 *       user removed.</li>
 * </ul>
 */
public final class Onboarding {
    /** Concurrent changes of one user's entry are rare; a few rereads settle them. */
    private static final int ATTEMPTS = 8;

    private final PoolRepository pools;
    private final RosterStore roster;
    private final PoolShare share;

    public Onboarding(PoolRepository pools, RosterStore roster, PoolShare share) {
        this.pools = pools;
        this.roster = roster;
        this.share = share;
    }

    /** What a change came to. */
    public sealed interface Outcome {
        record Done(Member member) implements Outcome {
        }

        /** Nothing to do: a duplicate, or older than what was applied. */
        record Unchanged(Member member, String why) implements Outcome {
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
    }

    public Outcome add(PoolName poolName, NewUser user, Instant at) {
        Objects.requireNonNull(user.name(), "name");
        Optional<StoredPool> pool = pools.find(poolName);
        Optional<Outcome> blocked = blocked(poolName, pool);
        if (blocked.isPresent()) {
            return blocked.get();
        }
        ShareRef where = shareOf(pool.orElseThrow().pool());
        // Most additions are of new users: the entry is created straight away, and read only when it exists.
        Optional<RosterStore.Stored> current = Optional.empty();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (current.isPresent()) {
                Member known = current.get().member();
                // A Pending entry of this very change is one that failed half-way: it is done again.
                boolean unfinished = known.state() == MemberState.Pending && at.equals(known.changedAt());
                if (!at.isAfter(known.changedAt()) && !unfinished) {
                    return new Outcome.Unchanged(known, "a change as new or newer was applied at "
                            + known.changedAt());
                }
                if (known.email() != null && user.email() != null && !known.email().equalsIgnoreCase(user.email())) {
                    return new Outcome.NameTaken(user.name(), known.email());
                }
            }
            int uid = current.map(s -> s.member().uid()).filter(u -> u > 0).orElseGet(() -> roster.allocateUid(poolName));
            Member pending = new Member(user.name(), user.email(), user.displayName(), user.sshPublicKeys(),
                    user.entraObjectId(), uid, MemberState.Pending, at, null);
            Optional<String> written = current.isPresent() ? roster.replace(poolName, current.get(), pending)
                    : roster.create(poolName, pending);
            if (written.isPresent()) {
                share.ensureDirectories(where, UserFolders.home(user.name()));
                share.updateManifest(where, manifest -> Manifest.apply(manifest, pending));
                return new Outcome.Done(settle(poolName, new RosterStore.Stored(pending, written.get())));
            }
            current = roster.find(poolName, user.name());
        }
        throw new IllegalStateException("the roster entry of " + user.name() + " kept changing");
    }

    public Outcome remove(PoolName poolName, LinuxUserName name, Instant at) {
        Optional<StoredPool> pool = pools.find(poolName);
        Optional<Outcome> blocked = blocked(poolName, pool);
        if (blocked.isPresent()) {
            return blocked.get();
        }
        ShareRef where = shareOf(pool.orElseThrow().pool());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<RosterStore.Stored> current = roster.find(poolName, name);
            if (current.isEmpty()) {
                // A tombstone: an addition that was sent before this removal but arrives after it loses.
                Member tombstone = new Member(name, null, null, List.of(), null, 0, MemberState.Removed, at, null);
                if (roster.create(poolName, tombstone).isPresent()) {
                    return new Outcome.Done(tombstone);
                }
                continue;
            }
            Member known = current.get().member();
            if (at.equals(known.changedAt()) && known.state() == MemberState.Removed && known.archive() != null) {
                // This very removal again: its move and manifest change may have failed half-way; both repeat safely.
                archive(where, known);
                return new Outcome.Done(known);
            }
            if (!at.isAfter(known.changedAt())) {
                return new Outcome.Unchanged(known, "a change as new or newer was applied at " + known.changedAt());
            }
            if (known.state() == MemberState.Removed) {
                return new Outcome.Unchanged(known, "already removed");
            }
            Member removed = known.with(MemberState.Removed, at, UserFolders.archive(name, at));
            if (roster.replace(poolName, current.get(), removed).isPresent()) {
                archive(where, removed);
                return new Outcome.Done(removed);
            }
        }
        throw new IllegalStateException("the roster entry of " + name + " kept changing");
    }

    private void archive(ShareRef where, Member removed) {
        share.move(where, UserFolders.USERS + "/" + removed.name().value(), removed.archive());
        share.updateManifest(where, manifest -> Manifest.apply(manifest, removed));
    }

    /**
     * Puts every roster entry into the manifest again (newer entries there stay): the daily repair for an entry a
     * crashed writer left out, or a manifest two app instances created at the same moment.
     */
    public void refreshManifest(PoolName poolName) {
        Optional<StoredPool> pool = pools.find(poolName);
        if (blocked(poolName, pool).isPresent()) {
            return;
        }
        List<Member> members = roster.list(poolName);
        share.updateManifest(shareOf(pool.get().pool()), manifest -> {
            byte[] next = manifest;
            for (Member member : members) {
                next = Manifest.apply(next, member);
            }
            return next;
        });
    }

    /** Whether {@code caller} may change the pool's users: its owner or an admin (true for an unknown pool). */
    public boolean mayManage(PoolName poolName, Caller caller) {
        return pools.find(poolName).map(found -> caller.mayManage(found.pool().owner())).orElse(true);
    }

    public Optional<List<Member>> members(PoolName poolName) {
        return pools.find(poolName).map(found -> roster.list(poolName));
    }

    /** Ready once its folder and manifest entry exist, unless a newer change took the entry meanwhile. */
    private Member settle(PoolName pool, RosterStore.Stored written) {
        RosterStore.Stored current = written;
        Member pending = written.member();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (!current.member().changedAt().equals(pending.changedAt())
                    || current.member().state() == MemberState.Ready) {
                return current.member();
            }
            Member next = current.member().with(MemberState.Ready, pending.changedAt(), null);
            if (roster.replace(pool, current, next).isPresent()) {
                return next;
            }
            current = roster.find(pool, pending.name()).orElseThrow();
        }
        return current.member();
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
        return new ShareRef(Blueprint.resourceGroup(pool.spec()), names.storageAccount(), names.fileShare());
    }
}
