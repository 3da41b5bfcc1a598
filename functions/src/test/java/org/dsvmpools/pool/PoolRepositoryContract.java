package org.dsvmpools.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.dsvmpools.testing.SshKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link PoolRepository}, written once and run against each adapter. */
public abstract class PoolRepositoryContract {
    protected static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    private static final Caller ALICE = new Caller("alice-id", "Alice", java.util.Set.of());

    protected PoolRepository repository;

    /** A repository with no pools in it. */
    protected abstract PoolRepository emptyRepository();

    @BeforeEach
    void setUp() {
        repository = emptyRepository();
    }

    protected static Pool pool(String name) {
        return Pool.accept(PoolDocumentsFixture.spec(name), ALICE, T0);
    }

    @Test
    void aCreatedPoolIsFoundAsItWasStored() {
        Pool pool = pool("ml-team");
        repository.create(pool);

        assertThat(repository.find(pool.name())).get().extracting(StoredPool::pool).isEqualTo(pool);
    }

    /** The scaler's first tick on a fresh installation comes before any pool has been requested. */
    @Test
    void beforeAnyPoolWasRequestedListingsAreEmpty() {
        assertThat(repository.list(null, 100).pools()).isEmpty();
        assertThat(repository.findUnchangedSince(PoolStatus.Accepted, T0)).isEmpty();
    }

    @Test
    void anUnknownPoolIsNotFound() {
        assertThat(repository.find(new PoolName("nobody-here"))).isEmpty();
    }

    @Test
    void creatingATakenNameFails() {
        repository.create(pool("ml-team"));

        assertThatThrownBy(() -> repository.create(pool("ml-team")))
                .isInstanceOf(PoolRepository.AlreadyExistsException.class);
    }

    @Test
    void aReplaceBasedOnAStaleReadFails() {
        Pool pool = pool("ml-team");
        repository.create(pool);
        StoredPool read = repository.find(pool.name()).orElseThrow();
        repository.replace(read, pool.moveTo(PoolStatus.Provisioning, "worker picked it up", T0.plusSeconds(1)));

        assertThatThrownBy(() -> repository.replace(read,
                pool.moveTo(PoolStatus.Deleting, "late writer", T0.plusSeconds(2))))
                .isInstanceOf(PoolRepository.StaleRecordException.class);
        assertThat(repository.find(pool.name()).orElseThrow().pool().status()).isEqualTo(PoolStatus.Provisioning);
    }

    @Test
    void theWorkersProgressRoundTripsWithResourcesFailureAndEndpoints() {
        Pool pool = pool("ml-team");
        repository.create(pool);
        Progress progress = new Progress(3, List.of(
                new PoolResource("scaleSet", "instances", "/subscriptions/s/resourceGroups/g/providers/"
                        + "Microsoft.Compute/virtualMachineScaleSets/instances", ResourceState.Creating,
                        java.util.Map.of("principalId", "p-1")),
                new PoolResource("share", "pool-data", null, ResourceState.Kept, java.util.Map.of())), 2,
                new PoolFailure(WorkItem.Kind.provision, "scaleSet", "QuotaExceeded", "no cores left"),
                new PoolEndpoints("ml.westeurope.cloudapp.azure.com", "https://ml.westeurope.cloudapp.azure.com:8000/",
                        "ssh <user>@ml.westeurope.cloudapp.azure.com", List.of(new PoolEndpoints.Ssh("0", 50000, "ssh -p 50000 a@ml"))));
        Pool working = pool.moveTo(PoolStatus.Provisioning, "started", T0.plusSeconds(1)).withProgress(progress);

        repository.replace(repository.find(pool.name()).orElseThrow(), working);

        assertThat(repository.find(pool.name()).orElseThrow().pool()).isEqualTo(working);
    }

    @Test
    void aReplaceKeepsTheWholeNewState() {
        Pool pool = pool("ml-team");
        repository.create(pool);
        Pool deleting = pool.requestTeardown(true, ALICE, T0.plusSeconds(5));

        repository.replace(repository.find(pool.name()).orElseThrow(), deleting);

        assertThat(repository.find(pool.name()).orElseThrow().pool()).isEqualTo(deleting);
    }

    @Test
    void listingPagesThroughAllPoolsInNameOrder() {
        List<String> names = List.of("delta", "alpha", "echo", "charlie", "bravo");
        names.forEach(name -> repository.create(pool(name)));

        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            PoolPage page = repository.list(token, 2);
            assertThat(page.pools()).hasSizeLessThanOrEqualTo(2);
            page.pools().forEach(pool -> listed.add(pool.name().value()));
            token = page.continuationToken();
            pages++;
        } while (token != null && pages < 10);

        assertThat(listed).containsExactly("alpha", "bravo", "charlie", "delta", "echo");
    }

    @Test
    void aListingByStatusHoldsOnlyThoseAndPagesThroughThemAll() {
        for (String name : List.of("alpha", "bravo", "charlie", "delta", "echo")) {
            Pool pool = pool(name);
            repository.create(name.equals("bravo") || name.equals("delta")
                    ? pool.requestTeardown(false, ALICE, T0) : pool);
        }
        java.util.Set<PoolStatus> accepted = java.util.EnumSet.of(PoolStatus.Accepted);

        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            PoolPage page = repository.list(token, 2, accepted);
            assertThat(page.pools()).hasSizeLessThanOrEqualTo(2);
            page.pools().forEach(pool -> listed.add(pool.name().value()));
            token = page.continuationToken();
            pages++;
        } while (token != null && pages < 10);

        assertThat(listed).containsExactly("alpha", "charlie", "echo");
        assertThat(repository.list(null, 10, java.util.EnumSet.of(PoolStatus.Deleting)).pools())
                .extracting(pool -> pool.name().value()).containsExactly("bravo", "delta");
    }

    @Test
    void aForeignContinuationTokenIsRejected() {
        repository.create(pool("alpha"));

        assertThatThrownBy(() -> repository.list("bm90LW91cnM", 10))
                .isInstanceOf(PoolRepository.InvalidContinuationException.class);
        assertThatThrownBy(() -> repository.list("%%%", 10))
                .isInstanceOf(PoolRepository.InvalidContinuationException.class);
    }

    @Test
    void unchangedPoolsAreFoundByStatusAndAge() {
        repository.create(pool("old-accepted"));
        Pool recent = Pool.accept(PoolDocumentsFixture.spec("new-accepted"), ALICE, T0.plus(Duration.ofHours(1)));
        repository.create(recent);
        Pool deleting = pool("old-deleting").requestTeardown(false, ALICE, T0);
        repository.create(deleting);

        List<StoredPool> stuck = repository.findUnchangedSince(PoolStatus.Accepted, T0.plus(Duration.ofMinutes(10)));

        assertThat(stuck).extracting(stored -> stored.pool().name().value()).containsExactly("old-accepted");
    }

    @Test
    void aSpecLargerThanOneTableColumnRoundTrips() {
        var document = PoolDocumentsFixture.document("big-team");
        var users = document.putArray("users");
        for (int i = 0; i < 120; i++) {
            var user = users.addObject().put("name", "user-" + i + "-" + UUID.randomUUID().toString().substring(0, 8));
            user.putArray("sshPublicKeys").add(SshKeys.rsa2048());
        }
        PoolSpec spec = PoolSpecJson.read(document).spec();
        assertThat(PoolSpecJson.write(spec).toString().length()).isGreaterThan(40_000);
        Pool pool = Pool.accept(spec, ALICE, T0);

        repository.create(pool);

        assertThat(repository.find(pool.name()).orElseThrow().pool()).isEqualTo(pool);
    }

    /** #27: two changes that counted the same pools cannot both be written; the loser's pool is not written either. */
    @Test
    void aWriteUnderAStaleLedgerVersionFailsWholeAndTheLedgerMovesWithEachCountedWrite() {
        PoolRepository repository = emptyRepository();
        Pool first = Pool.accept(org.dsvmpools.testing.PoolDocumentsFixture.spec("ml-team"), ALICE, T0);
        Pool second = Pool.accept(org.dsvmpools.testing.PoolDocumentsFixture.spec("cv-team"), ALICE, T0);
        PoolRepository.LimitsVersion seen = repository.limitsVersion();

        repository.create(first, seen);

        assertThat(repository.limitsVersion()).isNotEqualTo(seen);
        assertThatThrownBy(() -> repository.create(second, seen))
                .isInstanceOf(PoolRepository.LimitsMovedException.class);
        assertThat(repository.find(second.name())).as("neither write, when one fails").isEmpty();
        StoredPool read = repository.find(first.name()).orElseThrow();
        assertThatThrownBy(() -> repository.replace(read, first.note(org.dsvmpools.pool.PoolEvent.Source.requester, org.dsvmpools.pool.PoolEvent.Kind.action, "raised", T0.plusSeconds(1)), seen))
                .isInstanceOf(PoolRepository.LimitsMovedException.class);
        assertThat(repository.find(first.name()).orElseThrow().etag()).isEqualTo(read.etag());

        repository.replace(read, first.note(org.dsvmpools.pool.PoolEvent.Source.requester, org.dsvmpools.pool.PoolEvent.Kind.action, "raised", T0.plusSeconds(1)), repository.limitsVersion());
        assertThat(repository.find(first.name()).orElseThrow().pool().events()).hasSize(2);
        assertThat(repository.list(null, 10).pools()).as("the ledger is no pool").extracting(Pool::name)
                .containsExactly(first.name());
        assertThatThrownBy(() -> repository.create(first, repository.limitsVersion()))
                .isInstanceOf(PoolRepository.AlreadyExistsException.class);
    }
}
