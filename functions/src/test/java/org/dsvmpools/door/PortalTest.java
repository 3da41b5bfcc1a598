package org.dsvmpools.door;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortalTest {
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final Caller OWNER = new Caller("owner-oid", "owner@contoso.com", Set.of());
    private static final SignedInUser OWNER_SIGNED_IN = new SignedInUser("owner-oid", "owner@contoso.com",
            "owner@contoso.com", "");
    private static final SignedInUser ALICE = new SignedInUser("alice-oid", "alice@contoso.com", "alice@contoso.com", "");
    private static final SignedInUser ADMIN = new SignedInUser("admin-oid", "", "admin@contoso.com", "",
            Set.of(Caller.ADMIN_ROLE));
    private static final SignedInUser STRANGER = new SignedInUser("x", "", "mallory@contoso.com", "");

    private final InMemoryPoolRepository pools = new InMemoryPoolRepository();
    private final Map<PoolName, List<RosterEntry>> rosters = new HashMap<>();
    private final List<String> changes = new ArrayList<>();
    private Portal portal;

    @BeforeEach
    void twoPools() {
        Pool ml = Pool.accept(PoolDocumentsFixture.spec("ml-team"), OWNER, T0);
        for (int i = 0; i < 12; i++) {
            ml = ml.note(org.dsvmpools.pool.PoolEvent.Source.requester, org.dsvmpools.pool.PoolEvent.Kind.action, "event " + i, T0.plusSeconds(i));
        }
        pools.create(ml);
        pools.create(Pool.accept(PoolDocumentsFixture.spec("other-team"), new Caller("someone", "s", Set.of()), T0));
        rosters.put(new PoolName("ml-team"), List.of(new RosterEntry("alice", "alice@contoso.com", "alice-oid", true),
                new RosterEntry("bob", "bob@contoso.com", null, false)));
        portal = new Portal(pools, pool -> rosters.getOrDefault(pool, List.of()), pool -> Optional.empty(),
                new DoorPorts.RosterChanges() {
                    @Override
                    public Change add(PoolName pool, String email) {
                        changes.add("add " + pool + " " + email);
                        return new Change(true, "added");
                    }

                    @Override
                    public Change remove(PoolName pool, String name) {
                        changes.add("remove " + pool + " " + name);
                        return new Change(true, "removed");
                    }
                }, new Portal.Figures((pool, user, from) -> {
                    asked.add(pool + " " + user + " " + from);
                    return new DoorPorts.UserSessions.Summary(3, java.time.Duration.ofMinutes(250));
                }, pool -> Optional.of(new DoorPorts.PoolHours.Hours(java.time.YearMonth.of(2026, 3), 41.5)),
                        (region, size) -> new DoorPorts.ComputePrices.Priced(0.23, "USD", null),
                        java.time.Clock.fixed(java.time.Instant.parse("2026-03-05T10:00:00Z"), java.time.ZoneOffset.UTC)));
    }

    private final List<String> asked = new ArrayList<>();

    @Test
    void aUsersLineCarriesTheirOwnSessionsSinceMondayAndTheOwnersPageTheComputeSoFarThisMonth() {
        Portal.PoolLine line = portal.poolsOf(ALICE).get(0);
        assertThat(line.sessionsThisWeek()).isEqualTo(new DoorPorts.UserSessions.Summary(3,
                java.time.Duration.ofMinutes(250)));
        assertThat(asked).as("her account name on the pool, from Monday 00:00 UTC")
                .containsExactly("ml-team alice 2026-03-02T00:00:00Z");
        assertThat(portal.poolsOf(OWNER_SIGNED_IN).get(0).sessionsThisWeek()).as("the owner is no user of it").isNull();

        Portal.Cost cost = ((Portal.View.Shown) portal.pool(new PoolName("ml-team"), OWNER_SIGNED_IN)).cost()
                .orElseThrow();
        assertThat(cost.instanceHours()).isEqualTo(41.5);
        assertThat(cost.amount()).isEqualTo(9.55);
        assertThat(cost.vmSize()).isEqualTo(PoolDocumentsFixture.spec("ml-team").vmSize());
        assertThat(((Portal.View.Shown) portal.pool(new PoolName("ml-team"), ALICE)).cost())
                .as("a user sees no cost").isEmpty();
    }

    @Test
    void aUserSeesThePoolsTheyMayUseAndTheOwnerThoseTheyOwnAndAnAdminAll() {
        assertThat(portal.poolsOf(ALICE)).extracting(line -> line.pool().name().value() + ":" + line.owner())
                .containsExactly("ml-team:false");
        assertThat(portal.poolsOf(OWNER_SIGNED_IN)).extracting(line -> line.pool().name().value())
                .containsExactly("ml-team");
        assertThat(portal.poolsOf(ADMIN)).hasSize(2);
        assertThat(portal.poolsOf(STRANGER)).isEmpty();
        assertThat(portal.poolsOf(new SignedInUser("bob-oid", "bob@contoso.com", "bob@contoso.com", "")))
                .as("a removed user").isEmpty();
    }

    @Test
    void theOwnerSeesTheRosterAndAUserDoesNotAndAStrangerIsRefused() {
        Portal.View.Shown owner = (Portal.View.Shown) portal.pool(new PoolName("ml-team"), OWNER_SIGNED_IN);
        Portal.View.Shown user = (Portal.View.Shown) portal.pool(new PoolName("ml-team"), ALICE);
        Portal.View stranger = portal.pool(new PoolName("ml-team"), STRANGER);

        assertThat(owner.owner()).isTrue();
        assertThat(owner.roster()).extracting(RosterEntry::name).containsExactly("alice", "bob");
        assertThat(user.owner()).isFalse();
        assertThat(user.roster()).isEmpty();
        assertThat(((Portal.View.Refused) stranger).status()).isEqualTo(403);
        assertThat(((Portal.View.Refused) portal.pool(new PoolName("no-pool"), ALICE)).status()).isEqualTo(404);
    }

    @Test
    void theNewestEventsComeFirstAndOnlyTen() {
        Portal.View.Shown shown = (Portal.View.Shown) portal.pool(new PoolName("ml-team"), ALICE);

        assertThat(shown.events()).hasSize(Portal.EVENTS_SHOWN);
        assertThat(shown.events().get(0).reason()).isEqualTo("event 11");
        assertThat(shown.events().get(0).status()).isEqualTo(PoolStatus.Accepted);
    }

    @Test
    void onlyTheOwnerOrAnAdminChangesTheRoster() {
        assertThat(portal.add(new PoolName("ml-team"), ALICE, "carol@contoso.com").done()).isFalse();
        assertThat(portal.remove(new PoolName("ml-team"), STRANGER, "alice").message()).contains("Only the owner");
        assertThat(changes).isEmpty();

        assertThat(portal.add(new PoolName("ml-team"), OWNER_SIGNED_IN, "carol@contoso.com").done()).isTrue();
        assertThat(portal.remove(new PoolName("other-team"), ADMIN, "dave").done()).isTrue();
        assertThat(changes).containsExactly("add ml-team carol@contoso.com", "remove other-team dave");
    }
}
