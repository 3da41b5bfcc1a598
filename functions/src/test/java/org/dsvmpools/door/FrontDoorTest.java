package org.dsvmpools.door;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolEndpoints;
import org.dsvmpools.pool.PoolFailure;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.WorkItem;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.MutableClock;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrontDoorTest {
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final PoolName POOL = new PoolName("ml-team");
    private static final String HUB = "https://ml-team-1a2b.westeurope.cloudapp.azure.com:8000/";
    private static final Caller OWNER = new Caller("owner-oid", "owner@contoso.com", java.util.Set.of());
    private static final SignedInUser ALICE = new SignedInUser("alice-oid", "alice@contoso.com",
            "alice@contoso.com", "Alice");
    private static final SignedInUser MALLORY = new SignedInUser("mallory-oid", "", "mallory@contoso.com", "");

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryPoolRepository pools = new InMemoryPoolRepository();
    private final List<RosterEntry> roster = new ArrayList<>(List.of(
            new RosterEntry("alice", "alice@contoso.com", "alice-oid", true)));
    private Seats seats;
    private final List<PoolName> woken = new ArrayList<>();
    private DoorPorts.Waker.Woken wakeAnswer = new DoorPorts.Waker.Woken(T0.plusSeconds(95), null);
    private final CountingLedger ledger = new CountingLedger();
    private FrontDoor door;

    /** The ledger's rule, in memory: windows aligned to the epoch, a count per key and window. */
    static final class CountingLedger implements DoorPorts.WakeLedger {
        private final Map<String, Integer> counts = new HashMap<>();

        @Override
        public Optional<Instant> count(String key, int most, Duration window, Instant now) {
            long start = Math.floorDiv(now.toEpochMilli(), window.toMillis()) * window.toMillis();
            String slot = key + "@" + start;
            int counted = counts.getOrDefault(slot, 0);
            if (counted >= most) {
                return Optional.of(Instant.ofEpochMilli(start));
            }
            counts.put(slot, counted + 1);
            return Optional.empty();
        }
    }

    @BeforeEach
    void readyPoolAtZero() {
        pools.create(ready(Pool.accept(PoolDocumentsFixture.spec("ml-team"), OWNER, T0)));
        seats = new Seats(T0, List.of(), null);
        door = new FrontDoor(pools, pool -> roster, pool -> Optional.ofNullable(seats), pool -> {
            woken.add(pool);
            return wakeAnswer;
        }, ledger, clock);
    }

    private static Pool ready(Pool accepted) {
        Pool provisioning = accepted.moveTo(PoolStatus.Provisioning, "started", T0);
        return provisioning.advance(PoolStatus.Ready, provisioning.progress().nextPass().with(List.of(), 0, null,
                new PoolEndpoints("ml-team-1a2b.westeurope.cloudapp.azure.com", HUB, "ssh", List.of())), "ready", T0);
    }

    private void replacePool(java.util.function.UnaryOperator<Pool> change) {
        var stored = pools.find(POOL).orElseThrow();
        pools.replace(stored, change.apply(stored.pool()));
    }

    @Test
    void aUserOfAPoolAtZeroWakesItAndWaits() {
        DoorAnswer answer = door.arrive(POOL, ALICE);

        assertThat(answer).isEqualTo(new DoorAnswer.Waiting("ml-team", "Starting an instance for you.",
                T0.plusSeconds(95), null));
        assertThat(woken).containsExactly(POOL);
    }

    @Test
    void aFreeSeatSendsTheUserToTheHubWithTheirSignInNameAsHint() {
        seats = new Seats(T0, List.of(new Seats.InstanceSeats(true, true, false, false, 1)), null);

        DoorAnswer answer = door.arrive(POOL, ALICE);

        assertThat(answer).isEqualTo(new DoorAnswer.ToHub(java.net.URI.create(
                HUB + "hub/oauth_login?login_hint=alice%40contoso.com")));
        assertThat(woken).isEmpty();
    }

    @Test
    void overSshAFreeSeatIsThePoolsAddressAndTheUsersAccountName() {
        roster.set(0, new RosterEntry("alice", "alice@contoso.com", "alice-oid", true, true));
        seats = new Seats(T0, List.of(new Seats.InstanceSeats(true, true, false, false, 1)), null);

        assertThat(door.connect(POOL, ALICE)).isEqualTo(new DoorAnswer.ToSsh(
                "ml-team-1a2b.westeurope.cloudapp.azure.com", 22, "alice"));
        assertThat(woken).isEmpty();
    }

    @Test
    void overSshAPoolAtZeroIsWokenUnderTheSameLimitsAsTheBrowsersAndAnInstanceComingUpIsSaidSo() {
        roster.set(0, new RosterEntry("alice", "alice@contoso.com", "alice-oid", true, true));

        assertThat(door.connect(POOL, ALICE)).isEqualTo(new DoorAnswer.Waiting("ml-team",
                "Starting an instance for you.", T0.plusSeconds(95), null));
        seats = new Seats(T0, List.of(new Seats.InstanceSeats(true, false, false, false, 0)), null);
        assertThat(((DoorAnswer.Waiting) door.arrive(POOL, ALICE)).doing()).contains("JupyterHub");
        assertThat(((DoorAnswer.Waiting) door.connect(POOL, ALICE)).doing()).contains("sshd")
                .doesNotContain("JupyterHub");
        assertThat(woken).as("the browser and the client share the pool's wake window").hasSize(1);
    }

    @Test
    void overSshAUserWithoutAKeyIsToldSoAndNothingIsWoken() {
        DoorAnswer.Refused refused = (DoorAnswer.Refused) door.connect(POOL, ALICE);

        assertThat(refused.reason()).isEqualTo("no-ssh-key");
        assertThat(refused.detail()).contains("no SSH key on pool ml-team").contains("owner@contoso.com");
        assertThat(woken).isEmpty();
        assertThat(((DoorAnswer.Refused) door.connect(POOL, MALLORY)).reason()).as("the roster first")
                .isEqualTo("not-on-roster");
    }

    @Test
    void aDrainingOrFullInstanceIsNoSeatAndAStartingOneIsSaidSo() {
        int full = PoolDocumentsFixture.spec("ml-team").usersPerInstance();
        seats = new Seats(T0, List.of(new Seats.InstanceSeats(true, true, false, true, 0),
                new Seats.InstanceSeats(true, true, false, false, full),
                new Seats.InstanceSeats(false, false, true, false, 0)), "QuotaExceeded: no cores");

        DoorAnswer answer = door.arrive(POOL, ALICE);

        assertThat(answer).isEqualTo(new DoorAnswer.Waiting("ml-team", "An instance is starting for you.",
                T0.plusSeconds(95), "QuotaExceeded: no cores"));
    }

    @Test
    void anInstanceRunningWhoseAgentHasNotReportedIsNoSeatYet() {
        seats = new Seats(T0, List.of(new Seats.InstanceSeats(true, false, false, false, 0)), null);

        DoorAnswer answer = door.arrive(POOL, ALICE);

        assertThat(answer).isEqualTo(new DoorAnswer.Waiting("ml-team", "An instance is up; its JupyterHub is"
                + " starting.", T0.plusSeconds(95), null));
    }

    @Test
    void manyUsersWaitingWakeThePoolOncePerWindow() {
        roster.add(new RosterEntry("bob", "bob@contoso.com", null, true));
        SignedInUser bob = new SignedInUser("bob-oid", "bob@contoso.com", "bob@contoso.com", "");
        Instant windowStart = Instant.ofEpochMilli(Math.floorDiv(T0.toEpochMilli(),
                FrontDoor.POOL_WAKE_WINDOW.toMillis()) * FrontDoor.POOL_WAKE_WINDOW.toMillis());

        door.arrive(POOL, ALICE);
        DoorAnswer second = door.arrive(POOL, bob);
        clock.advance(FrontDoor.POOL_WAKE_WINDOW);
        door.arrive(POOL, bob);

        assertThat(second).isEqualTo(new DoorAnswer.Waiting("ml-team", "Starting an instance for you.",
                windowStart.plusSeconds(95), null));
        assertThat(woken).as("once in the first window, once in the next").hasSize(2);
    }

    @Test
    void aUserWakesPoolsAtMostThirtyTimesAnHour() {
        for (int i = 0; i < FrontDoor.USER_WAKES_PER_HOUR; i++) {
            assertThat(door.arrive(POOL, ALICE)).isInstanceOf(DoorAnswer.Waiting.class);
            clock.advance(FrontDoor.POOL_WAKE_WINDOW);
        }
        clock.advance(FrontDoor.POOL_WAKE_WINDOW);
        while (clock.instant().toEpochMilli() % Duration.ofHours(1).toMillis() < FrontDoor.POOL_WAKE_WINDOW.toMillis()) {
            clock.advance(FrontDoor.POOL_WAKE_WINDOW);
        }

        DoorAnswer answer = door.arrive(POOL, ALICE);

        assertThat(woken).hasSize(FrontDoor.USER_WAKES_PER_HOUR);
        assertThat(answer).isInstanceOf(DoorAnswer.Refused.class);
        assertThat(((DoorAnswer.Refused) answer).status()).isEqualTo(429);
        assertThat(((DoorAnswer.Refused) answer).detail()).contains("30 times within the hour")
                .contains("2026-03-02T09:00:00Z");
    }

    @Test
    void someoneNotOnTheRosterIsRefusedBeforeAnythingIsWoken() {
        DoorAnswer answer = door.arrive(POOL, MALLORY);

        assertThat(answer).isInstanceOf(DoorAnswer.Refused.class);
        DoorAnswer.Refused refused = (DoorAnswer.Refused) answer;
        assertThat(refused.reason()).isEqualTo("not-on-roster");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.detail()).contains("mallory@contoso.com is not a user of pool ml-team")
                .contains("owner@contoso.com");
        assertThat(woken).isEmpty();
    }

    @Test
    void aRemovedUserIsToldTheirAccessWasRemoved() {
        roster.set(0, new RosterEntry("alice", "alice@contoso.com", "alice-oid", false));

        assertThat(((DoorAnswer.Refused) door.arrive(POOL, ALICE)).reason()).isEqualTo("removed");
        assertThat(woken).isEmpty();
    }

    @Test
    void anAmbiguousAccountIsRefusedWithTheNames() {
        roster.clear();
        roster.add(new RosterEntry("carol", "carol@contoso.com", null, true));
        roster.add(new RosterEntry("dave", "dave@contoso.com", null, true));
        SignedInUser both = new SignedInUser("x", "carol@contoso.com", "dave@contoso.com", "");

        DoorAnswer.Refused refused = (DoorAnswer.Refused) door.arrive(POOL, both);

        assertThat(refused.reason()).isEqualTo("ambiguous");
        assertThat(refused.detail()).contains("(carol, dave)");
    }

    @Test
    void anUnknownPoolIsNotFound() {
        DoorAnswer.Refused refused = (DoorAnswer.Refused) door.arrive(new PoolName("nobody"), ALICE);

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.reason()).isEqualTo("no-such-pool");
    }

    @Test
    void aDeletedPoolIsGone() {
        replacePool(pool -> pool.requestTeardown(false, OWNER, T0).moveTo(PoolStatus.Deleted, "gone", T0));

        DoorAnswer.Refused refused = (DoorAnswer.Refused) door.arrive(POOL, ALICE);

        assertThat(refused.status()).isEqualTo(410);
        assertThat(refused.reason()).isEqualTo("deleted");
        assertThat(woken).isEmpty();
    }

    @Test
    void aFailedPoolSaysWhyAndWhoCanRetryIt() {
        pools.create(failed());

        DoorAnswer.Refused refused = (DoorAnswer.Refused) door.arrive(new PoolName("broken"), ALICE);

        assertThat(refused.reason()).isEqualTo("failed");
        assertThat(refused.detail()).contains("QuotaExceeded: no cores").contains("/api/pools/broken/retry");
    }

    @Test
    void aPoolBeingSetUpIsWaitedForWithoutAWake() {
        pools.create(Pool.accept(PoolDocumentsFixture.spec("new-team"), OWNER, T0));

        DoorAnswer answer = door.arrive(new PoolName("new-team"), ALICE);

        assertThat(answer).isEqualTo(new DoorAnswer.Waiting("new-team", "The pool is queued to be set up.", null,
                null));
        assertThat(woken).isEmpty();
    }

    @Test
    void aWakeTheAppCannotQueueIsAPageThatSaysSo() {
        wakeAnswer = new DoorPorts.Waker.Woken(null, "The request to start it could not be queued.");

        DoorAnswer.Refused refused = (DoorAnswer.Refused) door.arrive(POOL, ALICE);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.detail()).isEqualTo("The request to start it could not be queued.");
    }

    private static Pool failed() {
        Pool pool = Pool.accept(PoolDocumentsFixture.spec("broken"), OWNER, T0)
                .moveTo(PoolStatus.Provisioning, "started", T0);
        return pool.advance(PoolStatus.Failed, pool.progress().nextPass().with(List.of(), 0, new PoolFailure(
                WorkItem.Kind.provision, "scaleSet", "QuotaExceeded", "no cores"), null), "failed", T0);
    }
}
