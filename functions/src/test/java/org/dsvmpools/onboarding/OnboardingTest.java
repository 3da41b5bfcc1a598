package org.dsvmpools.onboarding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.dsvmpools.testing.SshKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OnboardingTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final java.time.Clock CLOCK = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
    private static final PoolName POOL = new PoolName("ml-team");
    private static final LinuxUserName ALICE = new LinuxUserName("alice");

    private final InMemoryPoolRepository pools = new InMemoryPoolRepository();
    private final InMemoryRoster roster = new InMemoryRoster();
    private final RecordingShare share = new RecordingShare();
    private final Onboarding onboarding = new Onboarding(pools, roster, share, CLOCK);

    @BeforeEach
    void readyPool() {
        pools.create(Pool.accept(PoolDocumentsFixture.spec("ml-team"), new Caller("a", "A", Set.of()), T0)
                .moveTo(PoolStatus.Provisioning, "w", T0).moveTo(PoolStatus.Ready, "r", T0));
    }

    private static NewUser alice() {
        return new NewUser(ALICE, "alice@example.org", "Alice", List.of(SshKeys.ed25519()), null);
    }

    @Test
    void anAddedUserGetsAFolderAManifestEntryAndAFixedUid() {
        Onboarding.Outcome outcome = onboarding.add(POOL, alice(), T0.plusSeconds(1));

        Member member = ((Onboarding.Outcome.Done) outcome).member();
        assertThat(member.state()).isEqualTo(MemberState.Ready);
        assertThat(member.uid()).isEqualTo(Manifest.FIRST_UID);
        assertThat(member.folder()).isEqualTo("users/alice/notebooks");
        assertThat(share.calls).containsExactly("mkdir users/alice", "mkdir users/alice/notebooks", "manifest");
        assertThat(share.manifest).contains("\"name\":\"alice\"", "\"uid\":" + Manifest.FIRST_UID,
                "\"state\":\"active\"", "ssh-ed25519 ");
    }

    @Test
    void theAdminsNameIsRefusedSinceItsAccountIsOnEveryInstanceAlready() {
        Onboarding.Outcome outcome = onboarding.add(POOL, new NewUser(new LinuxUserName("pooladmin"), null, null,
                List.of(), null), T0.plusSeconds(1));

        assertThat(outcome).isInstanceOf(Onboarding.Outcome.NameTaken.class);
        assertThat(share.calls).isEmpty();
        assertThat(roster.list(POOL)).isEmpty();
    }

    @Test
    void aDuplicateChangesNothingAndTouchesNoFile() {
        onboarding.add(POOL, alice(), T0.plusSeconds(1));
        share.calls.clear();

        Onboarding.Outcome duplicate = onboarding.add(POOL, alice(), T0.plusSeconds(1));

        assertThat(duplicate).isInstanceOf(Onboarding.Outcome.Unchanged.class);
        assertThat(((Onboarding.Outcome.Unchanged) duplicate).member().state()).as("as the users API shows it")
                .isEqualTo(MemberState.Ready);
        assertThat(share.calls).isEmpty();
    }

    /** #27 finding 6: adding a user again with only an email silently dropped their SSH keys and display name. */
    @Test
    void addingAUserAgainMergesWhatTheRequestLeavesOutAndReplacesWhatItGives() {
        onboarding.add(POOL, alice(), T0.plusSeconds(1));

        onboarding.add(POOL, new NewUser(ALICE, "alice@example.org", null, List.of(), null), T0.plusSeconds(2));

        Member merged = roster.find(POOL, ALICE).orElseThrow().member();
        assertThat(merged.sshPublicKeys()).isEqualTo(alice().sshPublicKeys());
        assertThat(merged.displayName()).isEqualTo("Alice");
        assertThat(share.manifest).contains("ssh-ed25519 ");
        String other = SshKeys.rsa2048();
        onboarding.add(POOL, new NewUser(ALICE, null, "Alice L.", List.of(other), null), T0.plusSeconds(3));
        Member replaced = roster.find(POOL, ALICE).orElseThrow().member();
        assertThat(replaced.sshPublicKeys()).containsExactly(other);
        assertThat(replaced.displayName()).isEqualTo("Alice L.");
        assertThat(replaced.email()).isEqualTo("alice@example.org");
    }

    /** #27 finding 2: the new life of a Deleted pool's name must not carry the old roster's users and keys. */
    @Test
    void aPoolRequestedAgainWithoutItsRosterRemovesTheEarlierLifesUsersOnceAndKeepsNewOnes() {
        onboarding.add(POOL, alice(), T0.plusSeconds(1));
        Caller owner = new Caller("a", "A", Set.of());
        Instant newLife = T0.plusSeconds(3600);
        var stored = pools.find(POOL).orElseThrow();
        pools.replace(stored, stored.pool().requestTeardown(false, owner, T0.plusSeconds(60))
                .moveTo(PoolStatus.Deleted, "torn down", T0.plusSeconds(120))
                .reaccept(stored.pool().spec(), owner, newLife, false)
                .moveTo(PoolStatus.Provisioning, "w", newLife).moveTo(PoolStatus.Ready, "r", newLife));
        LinuxUserName bob = new LinuxUserName("bob");
        onboarding.add(POOL, new NewUser(bob, null, null, List.of(SshKeys.ed25519()), null), newLife.plusSeconds(1));
        share.calls.clear();

        List<String> ended = onboarding.endEarlierLife(POOL);

        assertThat(ended).containsExactly("alice removed with the pool's earlier life");
        assertThat(roster.find(POOL, ALICE).orElseThrow().member().state()).isEqualTo(MemberState.Removed);
        assertThat(roster.find(POOL, bob).orElseThrow().member().state()).isNotEqualTo(MemberState.Removed);
        assertThat(share.calls).contains("manifest").anyMatch(call -> call.startsWith("move users/alice"));
        assertThat(onboarding.endEarlierLife(POOL)).as("once").isEmpty();
    }

    @Test
    void removalArchivesTheFolderAndMarksTheUserRemovedKeepingTheUid() {
        onboarding.add(POOL, alice(), T0.plusSeconds(1));
        share.calls.clear();

        Member removed = ((Onboarding.Outcome.Done) onboarding.remove(POOL, ALICE, T0.plusSeconds(60))).member();

        assertThat(removed.state()).isEqualTo(MemberState.Removed);
        assertThat(removed.archive()).isEqualTo("archive/alice-20261127T100100Z");
        assertThat(share.calls).containsExactly("move users/alice archive/alice-20261127T100100Z", "manifest");
        assertThat(share.manifest).contains("\"state\":\"removed\"");
        Member back = ((Onboarding.Outcome.Done) onboarding.add(POOL, alice(), T0.plusSeconds(120))).member();
        assertThat(back.uid()).as("a returning user owns their files again").isEqualTo(removed.uid());
    }

    @Test
    void aRemovalOlderThanTheLatestAdditionIsIgnored() {
        onboarding.add(POOL, alice(), T0.plusSeconds(10));
        share.calls.clear();

        assertThat(onboarding.remove(POOL, ALICE, T0.plusSeconds(5))).isInstanceOf(Onboarding.Outcome.Unchanged.class);
        assertThat(share.calls).isEmpty();
        assertThat(onboarding.members(POOL).orElseThrow()).singleElement()
                .extracting(Member::state).isEqualTo(MemberState.Ready);
    }

    @Test
    void aRemovalThatOvertookItsAdditionWins() {
        onboarding.remove(POOL, ALICE, T0.plusSeconds(10));

        assertThat(onboarding.add(POOL, alice(), T0.plusSeconds(5))).isInstanceOf(Onboarding.Outcome.Unchanged.class);
        assertThat(roster.find(POOL, ALICE).orElseThrow().member().state()).isEqualTo(MemberState.Removed);
        assertThat(share.calls).isEmpty();
    }

    @Test
    void aChangeThatFailedHalfWayIsDoneAgainWhenItsEventComesAgain() {
        PoolShare failing = new RecordingShare() {
            @Override
            public synchronized void updateManifest(ShareRef share, List<Member> changes) {
                throw new IllegalStateException("Files is down");
            }
        };
        assertThatThrownBy(() -> new Onboarding(pools, roster, failing, CLOCK).add(POOL, alice(), T0.plusSeconds(1)))
                .hasMessage("Files is down");
        assertThat(onboarding.members(POOL).orElseThrow()).singleElement()
                .as("recorded, not in the manifest").extracting(Member::state).isEqualTo(MemberState.Pending);

        Onboarding.Outcome again = onboarding.add(POOL, alice(), T0.plusSeconds(1));

        assertThat(((Onboarding.Outcome.Done) again).member().state()).isEqualTo(MemberState.Ready);
        assertThat(share.manifest).contains("\"name\":\"alice\"");
        assertThat(onboarding.members(POOL).orElseThrow()).singleElement()
                .extracting(Member::state).isEqualTo(MemberState.Ready);
    }

    @Test
    void aRemovalWhoseMoveFailedIsDoneAgainWhenItsEventComesAgain() {
        onboarding.add(POOL, alice(), T0.plusSeconds(1));
        PoolShare failing = new RecordingShare() {
            @Override
            public synchronized void move(ShareRef where, String from, String to) {
                throw new IllegalStateException("Files is down");
            }
        };
        assertThatThrownBy(() -> new Onboarding(pools, roster, failing, CLOCK).remove(POOL, ALICE, T0.plusSeconds(60)))
                .hasMessage("Files is down");
        assertThat(roster.find(POOL, ALICE).orElseThrow().member().state()).isEqualTo(MemberState.Removed);
        share.calls.clear();

        onboarding.remove(POOL, ALICE, T0.plusSeconds(60));

        assertThat(share.calls).containsExactly("move users/alice archive/alice-20261127T100100Z", "manifest");
        assertThat(share.manifest).contains("\"state\":\"removed\"");
    }

    @Test
    void theDailyRepairPutsBackAnEntryTheManifestLost() {
        onboarding.add(POOL, alice(), T0.plusSeconds(1));
        share.manifest = null;

        onboarding.refreshManifest(POOL);

        assertThat(share.manifest).contains("\"name\":\"alice\"", "\"state\":\"active\"");
    }

    @Test
    void theDailyRepairFinishesAnAdditionWhoseWriterCrashedBeforeItsFolder() {
        PoolShare crashing = new RecordingShare() {
            @Override
            public synchronized void ensureDirectories(ShareRef where, List<String> paths) {
                throw new IllegalStateException("the instance stopped");
            }
        };
        assertThatThrownBy(() -> new Onboarding(pools, roster, crashing, CLOCK).add(POOL, alice(), T0.plusSeconds(1)))
                .hasMessage("the instance stopped");
        onboarding.add(POOL, new NewUser(new LinuxUserName("bob"), "bob@example.org", "Bob", List.of(), null),
                T0.plusSeconds(2));
        share.calls.clear();

        onboarding.refreshManifest(POOL);

        assertThat(share.calls).as("only the unfinished addition's folder").containsExactly("mkdir users/alice",
                "mkdir users/alice/notebooks", "manifest");
        assertThat(onboarding.members(POOL).orElseThrow()).extracting(Member::state)
                .containsOnly(MemberState.Ready);
    }

    @Test
    void anOlderChangeNeverOverwritesANewerOneInTheManifest() {
        Member newer = new Member(ALICE, "alice@example.org", "A", List.of(), null, 20001, MemberState.Removed,
                T0.plusSeconds(10), "archive/x");
        Member older = new Member(ALICE, "alice@example.org", "A", List.of(), null, 20001, MemberState.Ready,
                T0.plusSeconds(5), null);

        byte[] manifest = Manifest.apply(Manifest.apply(new byte[0], List.of(newer)), List.of(older));

        assertThat(new String(manifest, java.nio.charset.StandardCharsets.UTF_8)).contains("\"state\":\"removed\"");
    }

    @Test
    void aDerivedNameThatBelongsToSomeoneElseIsRefused() {
        onboarding.add(POOL, alice(), T0.plusSeconds(1));

        Onboarding.Outcome other = onboarding.add(POOL, new NewUser(ALICE, "alice@elsewhere.example", "Other",
                List.of(), null), T0.plusSeconds(2));

        assertThat(other).isInstanceOf(Onboarding.Outcome.NameTaken.class);
    }

    @Test
    void unknownPoolsAndPoolsStillDeployingAreToldApart() {
        assertThat(onboarding.add(new PoolName("nowhere"), alice(), T0)).isInstanceOf(Onboarding.Outcome.NoPool.class);
        pools.create(Pool.accept(PoolDocumentsFixture.spec("new-team"), new Caller("a", "A", Set.of()), T0));

        assertThat(onboarding.add(new PoolName("new-team"), alice(), T0))
                .isInstanceOf(Onboarding.Outcome.PoolNotReady.class);
        assertThat(share.calls).isEmpty();
    }

    @Test
    void aPoolLacksAUserItNeverHadOrRemovedButNotOneItHas() {
        onboarding.add(POOL, alice(), T0.plusSeconds(1));
        LinuxUserName bob = new LinuxUserName("bob");

        assertThat(onboarding.lacksUser(POOL, ALICE)).isFalse();
        assertThat(onboarding.lacksUser(POOL, bob)).isTrue();
        onboarding.remove(POOL, ALICE, T0.plusSeconds(2));
        assertThat(onboarding.lacksUser(POOL, ALICE)).as("removed").isTrue();
        assertThat(onboarding.lacksUser(new PoolName("nowhere"), bob)).as("no pool: that answer is the removal's")
                .isFalse();
    }

    /** A removal older than the user's last change is not applied, and says so: the API answers 409 for it (#27). */
    @Test
    void aRemovalOlderThanTheLastChangeIsSupersededWhereARepeatedOneIsNot() {
        onboarding.add(POOL, alice(), T0.plusSeconds(120));

        assertThat(onboarding.remove(POOL, ALICE, T0.plusSeconds(60))).isInstanceOfSatisfying(
                Onboarding.Outcome.Unchanged.class, unchanged -> assertThat(unchanged.superseded()).isTrue());
        assertThat(onboarding.remove(POOL, ALICE, T0.plusSeconds(180))).isInstanceOf(Onboarding.Outcome.Done.class);
        assertThat(onboarding.remove(POOL, ALICE, T0.plusSeconds(240))).as("already removed: nothing was refused")
                .isInstanceOfSatisfying(Onboarding.Outcome.Unchanged.class,
                        unchanged -> assertThat(unchanged.superseded()).isFalse());
    }

    /** #27 finding 8: a roster has a cap; who is on it may still be re-added, and a removal makes room. */
    @Test
    void aNewUserOverThePoolsCapIsRefusedAndARemovalMakesRoom() {
        Onboarding capped = new Onboarding(pools, roster, share, CLOCK, 2);
        NewUser bob = new NewUser(new LinuxUserName("bob"), "bob@example.org", null, List.of(), null);
        NewUser carol = new NewUser(new LinuxUserName("carol"), "carol@example.org", null, List.of(), null);
        assertThat(capped.add(POOL, alice(), T0)).isInstanceOf(Onboarding.Outcome.Done.class);
        assertThat(capped.add(POOL, bob, T0)).isInstanceOf(Onboarding.Outcome.Done.class);

        assertThat(capped.add(POOL, carol, T0)).isEqualTo(new Onboarding.Outcome.RosterFull(POOL, 2));
        assertThat(roster.find(POOL, carol.name())).as("nothing recorded for the refused user").isEmpty();
        assertThat(capped.add(POOL, alice(), T0.plusSeconds(1))).as("re-adding who is on it")
                .isInstanceOf(Onboarding.Outcome.Done.class);

        assertThat(capped.remove(POOL, bob.name(), T0.plusSeconds(2))).isInstanceOf(Onboarding.Outcome.Done.class);
        assertThat(capped.add(POOL, carol, T0.plusSeconds(3))).isInstanceOf(Onboarding.Outcome.Done.class);
    }
}
