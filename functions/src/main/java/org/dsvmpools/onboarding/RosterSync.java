package org.dsvmpools.onboarding;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolPage;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;

/**
 * Pools whose roster is a Microsoft Entra group follow the group's members: each member is added (named from
 * their email, tagged with their object id), and users that came from the group and left it are removed, their
 * folders archived. Users added by custom events or the admin API are left alone. When Graph says the group
 * changed, the members delta query gives what changed; daily, as a safety net for a missed event, the members
 * are read whole. The daily run also onboards the users a pool's spec lists, in case that failed when the pool
 * became Ready.
 */
public final class RosterSync {
    /** Members onboarded at once: enough to share manifest writes, few enough for one Function instance. */
    static final int PARALLEL = 8;

    private final PoolRepository pools;
    private final RosterStore roster;
    private final GroupMembers graph;
    private final DeltaLinks links;
    private final Onboarding onboarding;
    private final SubscriptionKeeper subscriptions;
    private final Waiter waiter;

    public RosterSync(PoolRepository pools, RosterStore roster, GroupMembers graph, DeltaLinks links,
                      Onboarding onboarding) {
        this(pools, roster, graph, links, onboarding, SubscriptionKeeper.UNMANAGED, Waiter.REAL);
    }

    public RosterSync(PoolRepository pools, RosterStore roster, GroupMembers graph, DeltaLinks links,
                      Onboarding onboarding, SubscriptionKeeper subscriptions, Waiter waiter) {
        this.waiter = waiter;
        this.subscriptions = subscriptions;
        this.pools = pools;
        this.roster = roster;
        this.graph = graph;
        this.links = links;
        this.onboarding = onboarding;
    }

    /** The report of what was done to the Graph subscriptions, which belong to groups, not to one pool. */
    public static final String SUBSCRIPTIONS = "(Graph subscriptions)";

    /** What one pool's synchronisation did, one line per change or refusal. */
    public record Report(String pool, List<String> changes) {
    }

    /**
     * The users a pool's spec lists when it is requested, onboarded as of the pool's creation, so that any later
     * change wins; and, for a pool that follows a group, the group's members read whole (the group's stored delta
     * link may belong to another pool's history, so this pool would otherwise get only later changes). Run when
     * the pool first becomes Ready, and again by the daily reconciliation.
     */
    public Report onboardInitialUsers(PoolName poolName) {
        List<String> changes = new ArrayList<>();
        pools.find(poolName).map(StoredPool::pool).filter(p -> p.status() == PoolStatus.Ready).ifPresent(pool -> {
            for (PoolSpec.PoolUser user : pool.spec().users()) {
                changes.add(describe(user.name(), onboarding.add(pool.name(), new NewUser(new LinuxUserName(
                        user.name()), user.email(), null, user.sshPublicKeys(), null), pool.createdAt())));
            }
        });
        return new Report(poolName.value(), changes);
    }

    /**
     * A pool that has just become Ready: its initial users, its group's members read whole, and a Graph
     * subscription on its group if none exists yet.
     */
    public Report poolReady(PoolName poolName, Instant at) {
        // The earlier life's users out first (#27): a name requested again does not hand over its old roster.
        List<String> changes = new ArrayList<>(untilShareAdmits(() -> onboarding.endEarlierLife(poolName)));
        changes.addAll(untilShareAdmits(() -> onboardInitialUsers(poolName)).changes());
        pools.find(poolName).map(StoredPool::pool).filter(p -> p.status() == PoolStatus.Ready
                && p.spec().rosterGroupId() != null).ifPresent(pool -> {
                    try {
                        List<GroupMembers.Member> members = graph.members(pool.spec().rosterGroupId());
                        untilShareAdmits(() -> {
                            // Each try asks for every member again: a try cut off by the share may have recorded
                            // some in the roster without their folders, and the same change again completes them.
                            List<String> tried = new ArrayList<>();
                            add(pool, members, Map.of(), at, tried);
                            changes.addAll(tried);
                            return null;
                        });
                        changes.addAll(subscriptions.keep(followedGroups(), at));
                    } catch (RuntimeException e) {
                        changes.add("group " + pool.spec().rosterGroupId() + " not read (" + e.getMessage()
                                + "); the daily reconciliation reads it again");
                    }
                });
        return new Report(poolName.value(), changes);
    }

    /** Waits before each new try while the share refuses the app: the role made with the pool takes minutes. */
    static final List<java.time.Duration> SHARE_WAITS = List.of(java.time.Duration.ofSeconds(10),
            java.time.Duration.ofSeconds(20), java.time.Duration.ofSeconds(40), java.time.Duration.ofSeconds(80),
            java.time.Duration.ofSeconds(150));

    /** Runs {@code step} again after each of {@link #SHARE_WAITS} while the share answers 403; then gives up. */
    private <T> T untilShareAdmits(java.util.function.Supplier<T> step) {
        for (int tried = 0; ; tried++) {
            try {
                return step.get();
            } catch (PoolShare.AccessDeniedException denied) {
                if (tried >= SHARE_WAITS.size()) {
                    throw denied;
                }
                waiter.sleep(SHARE_WAITS.get(tried));
            }
        }
    }

    /** How a retry waits; tests pass one that does not. */
    @FunctionalInterface
    public interface Waiter {
        void sleep(java.time.Duration duration);

        Waiter REAL = duration -> {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the share", e);
            }
        };
    }

    /**
     * A group changed: its pools apply the changes since the group's last delta query (every member, the first
     * time), and the next query starts where this one ended.
     */
    public List<Report> groupChanged(String groupId, Instant at) {
        return groupChanged(groupId, at, false);
    }

    /**
     * Graph's notice about a subscription: a renewal when it asks for reauthorization; when it removed the
     * subscription or could not deliver changes, the subscriptions kept again and the group read whole.
     */
    public List<Report> subscriptionNotice(RosterEvent.SubscriptionLifecycle notice) {
        List<Report> reports = new ArrayList<>();
        if (notice.lifecycleEvent().equals("reauthorizationRequired")) {
            reports.add(new Report(SUBSCRIPTIONS, List.of(subscriptions.reauthorize(notice.subscriptionId(), notice.time()))));
            return reports;
        }
        if (notice.lifecycleEvent().equals("subscriptionRemoved")) {
            reports.add(new Report(SUBSCRIPTIONS, subscriptions.keep(followedGroups(), notice.time())));
        }
        if (notice.groupId() != null) {
            reports.addAll(groupChanged(notice.groupId(), notice.time(), true));
        }
        return reports;
    }

    /**
     * The groups some pool follows or is about to: a pool being deployed (or retried) keeps its group's
     * subscription, so it is not deleted and made again around its deployment.
     */
    private java.util.Set<String> followedGroups() {
        return pools(p -> p.status() == PoolStatus.Ready || p.status() == PoolStatus.Accepted
                || p.status() == PoolStatus.Provisioning || p.status() == PoolStatus.Failed).stream()
                .map(p -> p.spec().rosterGroupId()).filter(java.util.Objects::nonNull)
                .map(g -> g.toLowerCase(java.util.Locale.ROOT)).collect(Collectors.toSet());
    }

    /** @param whole read the group whole whatever link is stored (changes may have been missed) */
    private List<Report> groupChanged(String groupId, Instant at, boolean whole) {
        List<Pool> following = readyPools().stream().filter(p -> groupId.equals(p.spec().rosterGroupId())).toList();
        if (following.isEmpty()) {
            return List.of();
        }
        GroupMembers.Delta delta;
        try {
            delta = graph.changes(groupId, whole ? null : links.find(groupId).orElse(null));
        } catch (GroupMembers.GroupNotFoundException e) {
            return following.stream().map(p -> new Report(p.name().value(), List.of(e.getMessage()
                    + "; roster left as it is"))).toList();
        }
        List<Report> reports = new ArrayList<>();
        for (Pool pool : following) {
            List<String> changes = new ArrayList<>();
            Map<String, Member> fromGroup = fromGroup(pool);
            add(pool, delta.added(), fromGroup, at, changes);
            Set<String> leaving = delta.complete() ? missing(fromGroup, delta.added())
                    : Set.copyOf(delta.removedObjectIds());
            remove(pool, leaving, fromGroup, at, changes);
            reports.add(new Report(pool.name().value(), changes));
        }
        links.save(groupId, delta.deltaLink());
        return reports;
    }

    /**
     * The daily safety net, for missed change events: every Ready pool's initial users, each roster group's
     * members read whole (and its delta link renewed from before the read, since Graph forgets links after seven
     * days), and every pool's manifest repaired from the roster. One group or pool that fails is reported and the
     * others go on.
     */
    public List<Report> reconcileAll(Instant at) {
        Map<String, List<GroupMembers.Member>> read = new HashMap<>();
        List<Report> reports = new ArrayList<>();
        // Subscriptions first (#26): they are few and quick, and a run its timeout cuts off among the pools has
        // still renewed every one, where a lapsed subscription loses every change until the next run.
        try {
            reports.add(new Report(SUBSCRIPTIONS, subscriptions.keep(followedGroups(), at)));
        } catch (RuntimeException e) {
            reports.add(new Report(SUBSCRIPTIONS, List.of("Graph subscriptions not kept: " + e.getMessage()
                    + "; the next run tries again")));
        }
        for (Pool pool : fromCursor(readyPools())) {
            try {
                reports.addAll(reconcile(pool, read, at));
            } catch (RuntimeException e) {
                reports.add(new Report(pool.name().value(), List.of("not reconciled: " + e.getMessage()
                        + "; the next run tries again")));
            }
            try {
                links.saveDailyRunCursor(pool.name().value());
            } catch (RuntimeException e) {
                // Without the cursor the next run starts from the first pool, as it would anyway.
            }
        }
        return reports;
    }

    private List<Report> reconcile(Pool pool, Map<String, List<GroupMembers.Member>> read, Instant at) {
        List<Report> reports = new ArrayList<>();
        if (!pool.spec().users().isEmpty()) {
            reports.add(onboardInitialUsers(pool.name()));
        }
        String group = pool.spec().rosterGroupId();
        if (group == null) {
            onboarding.refreshManifest(pool.name());
            return reports;
        }
        List<GroupMembers.Member> members;
        try {
            members = read.computeIfAbsent(group, this::readWhole);
        } catch (GroupMembers.GroupNotFoundException | GroupMembers.GraphException e) {
            reports.add(new Report(pool.name().value(), List.of(e.getMessage() + "; roster left as it is")));
            return reports;
        }
        List<String> changes = new ArrayList<>();
        Map<String, Member> fromGroup = fromGroup(pool);
        add(pool, members, fromGroup, at, changes);
        remove(pool, missing(fromGroup, members), fromGroup, at, changes);
        onboarding.refreshManifest(pool.name());
        reports.add(new Report(pool.name().value(), changes));
        return reports;
    }

    /** A group's members now, with its delta link renewed from before the read. */
    private List<GroupMembers.Member> readWhole(String group) {
        String link = graph.latestLink(group);
        List<GroupMembers.Member> members = graph.members(group);
        if (link != null) {
            links.save(group, link);
        }
        return members;
    }

    /** The pool's users who came from its group, by Entra object id. */
    private Map<String, Member> fromGroup(Pool pool) {
        return roster.list(pool.name()).stream().filter(m -> m.entraObjectId() != null)
                .collect(Collectors.toMap(Member::entraObjectId, m -> m, (a, b) -> a));
    }

    private static Set<String> missing(Map<String, Member> fromGroup, List<GroupMembers.Member> members) {
        Set<String> inGroup = members.stream().map(GroupMembers.Member::objectId).collect(Collectors.toSet());
        return fromGroup.keySet().stream().filter(id -> !inGroup.contains(id)).collect(Collectors.toSet());
    }

    /**
     * New members are onboarded {@link #PARALLEL} at a time: each is a few Table and Files requests, and their
     * manifest updates share writes. The report keeps the members' order.
     */
    private void add(Pool pool, List<GroupMembers.Member> members, Map<String, Member> fromGroup, Instant at,
                     List<String> changes) {
        List<Callable<String>> work = new ArrayList<>();
        for (GroupMembers.Member member : members) {
            Member known = fromGroup.get(member.objectId());
            if (known != null && known.state() != MemberState.Removed) {
                continue;
            }
            Optional<LinuxUserName> name = UserNames.fromEmail(member.email());
            if (name.isEmpty()) {
                work.add(() -> "member " + member.objectId() + ": no user name can be derived from '"
                        + member.email() + "', skipped");
                continue;
            }
            work.add(() -> describe(name.get().value(), onboarding.add(pool.name(), new NewUser(name.get(),
                    member.email(), member.displayName(), List.of(), member.objectId()), at)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(PARALLEL);
        try {
            for (Future<String> done : threads.invokeAll(work)) {
                changes.add(done.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while onboarding the group's members", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(e.getCause());
        } finally {
            threads.shutdownNow();
        }
    }

    private void remove(Pool pool, Set<String> leaving, Map<String, Member> fromGroup, Instant at,
                        List<String> changes) {
        for (String objectId : leaving) {
            Member known = fromGroup.get(objectId);
            if (known != null && known.state() != MemberState.Removed) {
                changes.add(describe(known.name().value(), onboarding.remove(pool.name(), known.name(), at)));
            }
        }
    }

    private static String describe(String name, Onboarding.Outcome outcome) {
        if (outcome instanceof Onboarding.Outcome.Done done) {
            return name + " " + done.member().state();
        }
        if (outcome instanceof Onboarding.Outcome.NameTaken) {
            return name + " belongs to another user of the pool, skipped";
        }
        if (outcome instanceof Onboarding.Outcome.RosterFull full) {
            return name + " not added: the pool has " + full.maxUsers() + " users, its most";
        }
        return name + " unchanged (" + outcome.getClass().getSimpleName() + ")";
    }

    /**
     * The pools in name order from the one after the last pool a run reconciled, then the rest: a run its timeout
     * cut off goes on where it stopped, and no pool is always last (#26).
     */
    private List<Pool> fromCursor(List<Pool> ready) {
        Optional<String> cursor;
        try {
            cursor = links.dailyRunCursor();
        } catch (RuntimeException e) {
            cursor = Optional.empty();
        }
        List<Pool> sorted = new ArrayList<>(ready);
        sorted.sort(java.util.Comparator.comparing(p -> p.name().value()));
        if (cursor.isEmpty()) {
            return sorted;
        }
        String last = cursor.get();
        List<Pool> ordered = new ArrayList<>();
        sorted.stream().filter(p -> p.name().value().compareTo(last) > 0).forEach(ordered::add);
        sorted.stream().filter(p -> p.name().value().compareTo(last) <= 0).forEach(ordered::add);
        return ordered;
    }

    /**
     * The recovery timer's part (#26): every Ready pool's additions that failed half-way and are due again, each
     * pool on its own.
     */
    public List<Report> retryPending() {
        List<Report> reports = new ArrayList<>();
        for (Pool pool : readyPools()) {
            try {
                List<String> lines = onboarding.retryPending(pool.name());
                if (!lines.isEmpty()) {
                    reports.add(new Report(pool.name().value(), lines));
                }
            } catch (RuntimeException e) {
                reports.add(new Report(pool.name().value(), List.of("pending users not retried ("
                        + e.getClass().getSimpleName() + "); the next run tries again")));
            }
        }
        return reports;
    }

    private List<Pool> readyPools() {
        return pools(p -> p.status() == PoolStatus.Ready);
    }

    private List<Pool> pools(java.util.function.Predicate<Pool> wanted) {
        List<Pool> found = new ArrayList<>();
        String token = null;
        do {
            PoolPage page = pools.list(token, 100);
            page.pools().stream().filter(wanted).forEach(found::add);
            token = page.continuationToken();
        } while (token != null);
        return found;
    }
}
