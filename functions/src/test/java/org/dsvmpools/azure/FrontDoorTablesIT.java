package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dsvmpools.door.DoorSessions;
import org.dsvmpools.door.IdentityProvider;
import org.dsvmpools.door.ReturnPath;
import org.dsvmpools.door.SignedInUser;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.testing.Azurite;
import org.junit.jupiter.api.Test;

/** The front door's table, in Azurite: sign-ins taken once, sessions kept, wake counts that hold under races. */
class FrontDoorTablesIT {
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");

    private static TableClient table() {
        return new StorageClients(Azurite.shared().connectionString()).table("door" + UUID.randomUUID()
                .toString().replace("-", "").substring(0, 12));
    }

    @Test
    void aPendingSignInIsTakenOnceEvenByTwoCallbacksAtOnce() throws Exception {
        TableDoorSessions sessions = new TableDoorSessions(table());
        sessions.savePending(new DoorSessions.Pending(new IdentityProvider.Started(URI.create("https://x/authorize"),
                "state-1", "nonce-1", "verifier-1"), ReturnPath.portal(new PoolName("ml-team")), T0));

        List<Optional<DoorSessions.Pending>> taken = race(8, () -> sessions.takePending("state-1"));

        assertThat(taken.stream().filter(Optional::isPresent)).hasSize(1);
        DoorSessions.Pending pending = taken.stream().flatMap(Optional::stream).findFirst().orElseThrow();
        assertThat(pending.started().verifier()).isEqualTo("verifier-1");
        assertThat(pending.returnTo().value()).isEqualTo("/api/portal/ml-team");
        assertThat(pending.startedAt()).isEqualTo(T0);
    }

    @Test
    void abandonedSignInsAndExpiredSessionsArePrunedAndLiveOnesKept() {
        TableDoorSessions sessions = new TableDoorSessions(table());
        SignedInUser alice = new SignedInUser("oid", "alice@contoso.com", "alice@contoso.com", "Alice",
                java.util.Set.of("Pools.Admin"));
        for (int i = 0; i < 3; i++) {
            sessions.savePending(new DoorSessions.Pending(new IdentityProvider.Started(URI.create("https://x/a"),
                    "old-" + i, "n", "v"), ReturnPath.PORTAL, T0));
        }
        sessions.savePending(new DoorSessions.Pending(new IdentityProvider.Started(URI.create("https://x/a"),
                "fresh", "n", "v"), ReturnPath.PORTAL, T0.plus(Duration.ofMinutes(15))));
        sessions.saveSession("expired", new DoorSessions.Session(alice, T0.plus(Duration.ofMinutes(5))));
        sessions.saveSession("live", new DoorSessions.Session(alice, T0.plus(Duration.ofHours(8))));

        int pruned = sessions.prune(T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(20)), 100);

        assertThat(pruned).isEqualTo(4);
        assertThat(sessions.takePending("fresh")).isPresent();
        assertThat(sessions.takePending("old-0")).isEmpty();
        assertThat(sessions.session("expired")).isEmpty();
        assertThat(sessions.session("live").orElseThrow().user().roles()).containsExactly("Pools.Admin");
    }

    @Test
    void aSessionIsReadBackAsSaved() {
        TableDoorSessions sessions = new TableDoorSessions(table());
        SignedInUser alice = new SignedInUser("oid", "alice@contoso.com", "alice@contoso.com", "Alice");

        sessions.saveSession("hash", new DoorSessions.Session(alice, T0.plus(Duration.ofHours(8))));

        assertThat(sessions.session("hash")).contains(new DoorSessions.Session(alice, T0.plus(Duration.ofHours(8))));
        assertThat(sessions.session("other")).isEmpty();
    }

    @Test
    void eightAppInstancesCountingAtOnceLetExactlyTheLimitThroughAndOneRowPerKeyIsKept() throws Exception {
        TableClient table = table();
        TableWakeLedger ledger = new TableWakeLedger(table);
        Duration window = Duration.ofMinutes(1);

        List<Optional<Instant>> counted = race(8, () -> ledger.count("pool:ml-team", 3, window, T0));
        Optional<Instant> nextWindow = ledger.count("pool:ml-team", 3, window, T0.plus(window));

        assertThat(counted.stream().filter(Optional::isEmpty).count()).as("never more than the limit").isLessThanOrEqualTo(3)
                .isGreaterThanOrEqualTo(1);
        assertThat(counted.stream().flatMap(Optional::stream)).containsOnly(T0);
        assertThat(nextWindow).as("a new window counts afresh").isEmpty();
        assertThat(table.listEntities()).hasSize(1);
    }

    private static <T> List<T> race(int callers, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                futures.add(pool.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }
}
