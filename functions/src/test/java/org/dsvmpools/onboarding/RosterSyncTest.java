package org.dsvmpools.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RosterSyncTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final String GROUP = "0f3a0c2e-1111-2222-3333-444455556666";
    private static final PoolName POOL = new PoolName("ml-team");

    private final InMemoryPoolRepository pools = new InMemoryPoolRepository();
    private final InMemoryRoster roster = new InMemoryRoster();
    private final Onboarding onboarding = new Onboarding(pools, roster, new RecordingShare(),
            java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC));
    private final List<GroupMembers.Member> members = new ArrayList<>();
    private final Map<String, String> links = new HashMap<>();
    private final RosterSync sync = new RosterSync(pools, roster, new FakeGraph(), new MapLinks(), onboarding);

    /** Delta links, and the daily run's cursor, in {@link #links}. */
    private class MapLinks implements DeltaLinks {
        @Override
        public Optional<String> find(String groupId) {
            return Optional.ofNullable(links.get(groupId));
        }

        @Override
        public void save(String groupId, String deltaLink) {
            links.put(groupId, deltaLink);
        }

        @Override
        public Optional<String> dailyRunCursor() {
            return Optional.ofNullable(links.get("cursor"));
        }

        @Override
        public void saveDailyRunCursor(String lastPool) {
            links.put("cursor", lastPool);
        }
    }

    /** Graph over {@link #members}: a delta link remembers the membership it was given at. */
    private class FakeGraph implements GroupMembers {
        private final Map<String, List<Member>> versions = new HashMap<>();

        @Override
        public List<Member> members(String groupId) {
            if (!groupId.equals(GROUP)) {
                throw new GroupNotFoundException(groupId);
            }
            return List.copyOf(members);
        }

        @Override
        public Delta changes(String groupId, String deltaLink) {
            List<Member> now = members(groupId);
            List<Member> before = deltaLink == null ? List.of() : versions.get(deltaLink);
            String link = "link-" + versions.size();
            versions.put(link, now);
            return new Delta(now.stream().filter(m -> !before.contains(m)).toList(),
                    before.stream().filter(m -> !now.contains(m)).map(Member::objectId).toList(), deltaLink == null,
                    link);
        }

        @Override
        public String latestLink(String groupId) {
            String link = "link-" + versions.size();
            versions.put(link, members(groupId));
            return link;
        }
    }

    @BeforeEach
    void poolWithARosterGroup() {
        PoolSpec spec = PoolDocumentsFixture.spec("ml-team");
        PoolSpec withGroup = new PoolSpec(spec.name(), spec.location(), spec.resourceGroup(), spec.vmSize(),
                spec.capacity(), spec.usersPerInstance(), spec.share(), spec.access(), spec.schedule(),
                spec.idleTimeoutMinutes(), spec.users(), spec.scaling(), GROUP);
        pools.create(Pool.accept(withGroup, new Caller("a", "A", Set.of()), T0)
                .moveTo(PoolStatus.Provisioning, "w", T0).moveTo(PoolStatus.Ready, "r", T0));
    }

    /** As the users API shows it: Ready once the manifest carries the user's latest change. */
    private Member member(String name) {
        return onboarding.members(POOL).orElseThrow().stream().filter(m -> m.name().value().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void membersAreAddedAndThoseWhoLeaveAreRemovedButUsersAddedOtherwiseStay() {
        onboarding.add(POOL, new NewUser(new LinuxUserName("bob"), "bob@example.org", "Bob", List.of(), null), T0);
        members.add(new GroupMembers.Member("00000000-0000-0000-0000-000000000001", "Ann.Lee@contoso.example", "Ann"));
        members.add(new GroupMembers.Member("00000000-0000-0000-0000-000000000002", "наталья@contoso.example", "N"));

        List<RosterSync.Report> first = sync.groupChanged(GROUP, T0.plusSeconds(10));

        assertThat(member("ann-lee").state()).isEqualTo(MemberState.Ready);
        assertThat(first.get(0).changes()).contains("ann-lee Ready")
                .anyMatch(change -> change.contains("no user name can be derived"));

        members.clear();
        sync.reconcileAll(T0.plusSeconds(20));

        assertThat(member("ann-lee").state()).isEqualTo(MemberState.Removed);
        assertThat(member("bob").state()).as("added by an event, not by the group").isEqualTo(MemberState.Ready);
    }

    @Test
    void aGroupChangeAppliesOnlyWhatChangedSinceTheLastDeltaQuery() {
        GroupMembers.Member ann = new GroupMembers.Member("00000000-0000-0000-0000-000000000001",
                "ann@contoso.example", "Ann");
        GroupMembers.Member cy = new GroupMembers.Member("00000000-0000-0000-0000-000000000003",
                "cy@contoso.example", "Cy");
        members.add(ann);
        sync.groupChanged(GROUP, T0.plusSeconds(10));
        assertThat(links).containsKey(GROUP);
        members.clear();
        members.add(cy);

        List<RosterSync.Report> second = sync.groupChanged(GROUP, T0.plusSeconds(20));

        assertThat(second.get(0).changes()).containsExactlyInAnyOrder("cy Ready", "ann Removed");
        assertThat(member("ann").archive()).startsWith("archive/ann-");
    }

    @Test
    void theUsersTheSpecListsAreOnboardedAsOfThePoolsCreationSoThatLaterChangesWin() {
        PoolSpec spec = pools.find(POOL).orElseThrow().pool().spec();
        PoolSpec withUsers = new PoolSpec(spec.name(), spec.location(), spec.resourceGroup(), spec.vmSize(),
                spec.capacity(), spec.usersPerInstance(), spec.share(), spec.access(), spec.schedule(),
                spec.idleTimeoutMinutes(), List.of(new PoolSpec.PoolUser("dana", List.of()),
                new PoolSpec.PoolUser("eli", List.of())), spec.scaling(), null);
        PoolName team = new PoolName("data-team");
        pools.create(Pool.accept(new PoolSpec("data-team", withUsers.location(), null, withUsers.vmSize(),
                withUsers.capacity(), withUsers.usersPerInstance(), withUsers.share(), withUsers.access(), null,
                withUsers.idleTimeoutMinutes(), withUsers.users(), withUsers.scaling(), null),
                new Caller("a", "A", Set.of()), T0).moveTo(PoolStatus.Provisioning, "w", T0)
                .moveTo(PoolStatus.Ready, "r", T0));
        onboarding.remove(team, new LinuxUserName("eli"), T0.plusSeconds(5));

        RosterSync.Report report = sync.onboardInitialUsers(team);

        assertThat(report.changes()).containsExactly("dana Ready", "eli unchanged (Unchanged)");
        assertThat(roster.find(team, new LinuxUserName("dana")).orElseThrow().member().changedAt()).isEqualTo(T0);
        assertThat(roster.find(team, new LinuxUserName("eli")).orElseThrow().member().state())
                .as("removed after the pool was created").isEqualTo(MemberState.Removed);
        assertThat(sync.onboardInitialUsers(team).changes()).as("again: nothing new")
                .containsExactly("dana unchanged (Unchanged)", "eli unchanged (Unchanged)");
    }

    @Test
    void aGroupGraphDoesNotKnowLeavesTheRosterAsItIsAndAGroupNoPoolFollowsIsNotRead() {
        PoolSpec spec = pools.find(POOL).orElseThrow().pool().spec();
        RosterSync unknownGroup = new RosterSync(pools, roster, new FakeGraph() {
            @Override
            public Delta changes(String groupId, String deltaLink) {
                throw new GroupNotFoundException(groupId);
            }
        }, new DeltaLinks() {
            @Override
            public Optional<String> find(String groupId) {
                return Optional.empty();
            }

            @Override
            public void save(String groupId, String deltaLink) {
                throw new AssertionError("nothing to save");
            }
        }, onboarding);

        assertThat(unknownGroup.groupChanged("99999999-0000-0000-0000-000000000000", T0))
                .as("no pool follows that group").isEmpty();
        List<RosterSync.Report> reports = unknownGroup.groupChanged(spec.rosterGroupId(), T0);

        assertThat(reports).singleElement().satisfies(r -> assertThat(r.changes()).singleElement().asString()
                .contains("no group").endsWith("roster left as it is"));
        assertThat(roster.list(POOL)).isEmpty();
    }


    /**
     * A daily run cut off by its timeout goes on where it stopped the next time (#26): the pools after the last
     * one reconciled come first.
     */
    @Test
    void aDailyRunCutOffByItsTimeoutGoesOnWhereItStoppedTheNextTime() {
        for (String name : List.of("pool-a", "pool-b", "pool-c")) {
            pools.create(Pool.accept(PoolDocumentsFixture.spec(name), new Caller("a", "A", Set.of()), T0)
                    .moveTo(PoolStatus.Provisioning, "w", T0).moveTo(PoolStatus.Ready, "r", T0));
        }
        String a = org.dsvmpools.pool.AzureNames.of(new PoolName("pool-a")).storageAccount();
        String b = org.dsvmpools.pool.AzureNames.of(new PoolName("pool-b")).storageAccount();
        String c = org.dsvmpools.pool.AzureNames.of(new PoolName("pool-c")).storageAccount();
        List<String> order = new ArrayList<>();
        boolean[] cutOff = {true};
        RecordingShare share = new RecordingShare() {
            @Override
            public synchronized Map<LinuxUserName, Instant> published(ShareRef where) {
                if (!List.of(a, b, c).contains(where.storageAccount())) {
                    return super.published(where);
                }
                order.add(where.storageAccount());
                if (cutOff[0] && order.size() == 2) {
                    throw new Error("the host stopped the run at its timeout");
                }
                return super.published(where);
            }
        };
        RosterSync daily = new RosterSync(pools, roster, new FakeGraph(), new MapLinks(), new Onboarding(pools, roster, share, java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC)));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> daily.reconcileAll(T0)).isInstanceOf(Error.class);
        assertThat(order).containsExactly(a, b);

        cutOff[0] = false;
        order.clear();
        daily.reconcileAll(T0.plusSeconds(86_400));

        assertThat(order).as("on from the pool it was cut off at, the one done last time at the end")
                .startsWith(b).containsSubsequence(b, c, a);
    }
}
