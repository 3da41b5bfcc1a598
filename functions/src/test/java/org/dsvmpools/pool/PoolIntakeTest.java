package org.dsvmpools.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.MutableClock;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.dsvmpools.testing.RecordingWorkQueue;
import org.junit.jupiter.api.Test;

class PoolIntakeTest {
    private static final Caller ALICE = new Caller("alice-id", "Alice", Set.of());
    private static final Caller BOB = new Caller("bob-id", "Bob", Set.of());
    private static final Caller ADMIN = new Caller("admin-id", "Ops", Set.of(Caller.ADMIN_ROLE));

    private final InMemoryPoolRepository repository = new InMemoryPoolRepository();
    private final RecordingWorkQueue queue = new RecordingWorkQueue();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
    private final PoolIntake intake = new PoolIntake(repository, queue, clock);
    private final PoolSpec spec = PoolDocumentsFixture.spec("ml-team");

    @Test
    void aNewPoolIsStoredAcceptedAndItsProvisioningQueued() {
        SubmitResult result = intake.submit(spec, ALICE);

        assertThat(result).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(((SubmitResult.Accepted) result).workQueued()).isTrue();
        Pool stored = repository.find(spec.poolName()).orElseThrow().pool();
        assertThat(stored.status()).isEqualTo(PoolStatus.Accepted);
        assertThat(stored.owner()).isEqualTo(ALICE.asOwner());
        assertThat(stored.events()).extracting(PoolEvent::status).containsExactly(PoolStatus.Accepted);
        assertThat(queue.sent()).containsExactly(WorkItem.provision(spec.poolName(), 1));
    }

    @Test
    void aChangeWhoseResultIsInvalidIsAnsweredWithItsErrorsAndStoresNothing() {
        intake.submit(spec, ALICE);
        Pool before = repository.find(spec.poolName()).orElseThrow().pool();

        PatchResult result = intake.changeScaling(spec.poolName(), ALICE, current -> CheckedSpec.invalid(
                java.util.List.of(new FieldError("/capacity/max", "must be at least min"))));

        assertThat(result).isEqualTo(new PatchResult.Invalid(java.util.List.of(new FieldError("/capacity/max",
                "must be at least min"))));
        assertThat(repository.find(spec.poolName()).orElseThrow().pool()).isEqualTo(before);
    }

    @Test
    void theSameRequestAgainChangesNothing() {
        intake.submit(spec, ALICE);
        clock.advance(Duration.ofMinutes(1));

        SubmitResult again = intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);

        assertThat(again).isInstanceOf(SubmitResult.AlreadyAccepted.class);
        assertThat(((SubmitResult.AlreadyAccepted) again).pool().updatedAt()).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void anotherSpecUnderATakenNameConflicts() {
        intake.submit(spec, ALICE);
        var other = PoolDocumentsFixture.document("ml-team").put("vmSize", "Standard_D8s_v5");

        SubmitResult result = intake.submit(PoolSpecJson.read(other).spec(), BOB);

        assertThat(result).isInstanceOf(SubmitResult.Conflict.class);
        assertThat(repository.find(spec.poolName()).orElseThrow().pool().spec()).isEqualTo(spec);
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void aQueueOutageAfterTheStoreKeepsThePoolAndSaysTheWorkWasNotQueued() {
        queue.setDown(true);

        SubmitResult result = intake.submit(spec, ALICE);

        assertThat(result).isEqualTo(new SubmitResult.Accepted(((SubmitResult.Accepted) result).pool(), false));
        assertThat(repository.find(spec.poolName())).isPresent();
        assertThat(queue.sent()).isEmpty();
    }

    private void deleted(boolean purged) {
        StoredPool stored = repository.find(spec.poolName()).orElseThrow();
        repository.replace(stored, stored.pool().requestTeardown(purged, ALICE, clock.instant())
                .moveTo(PoolStatus.Deleted, "torn down", clock.instant()));
    }

    /** #27 finding 2: Bob asking for Alice's deleted pool's name got her share, her users and their keys. */
    @Test
    void aDeletedPoolsKeptDataIsHeldForItsOwnerAndAnotherRequesterIsRefused() {
        intake.submit(spec, ALICE);
        deleted(false);
        Pool before = repository.find(spec.poolName()).orElseThrow().pool();

        assertThat(intake.submit(spec, BOB)).isEqualTo(new SubmitResult.NameHeld(before));
        assertThat(repository.find(spec.poolName()).orElseThrow().pool()).isEqualTo(before);

        clock.advance(Duration.ofMinutes(5));
        SubmitResult again = intake.submit(spec, ALICE);
        assertThat(again).isInstanceOf(SubmitResult.Accepted.class);
        Pool reborn = ((SubmitResult.Accepted) again).pool();
        assertThat(reborn.generation()).isEqualTo(3);
        assertThat(reborn.rosterSince()).as("a roster of its own unless asked").isEqualTo(clock.instant());
        assertThat(reborn.createdAt()).isEqualTo(clock.instant());
        assertThat(queue.sent()).last().isEqualTo(WorkItem.provision(spec.poolName(), 3));
    }

    @Test
    void theOwnerOrAnAdminGetsTheOldRosterBackOnlyWhenTheyAskForIt() {
        intake.submit(spec, ALICE);
        deleted(false);

        Pool kept = ((SubmitResult.Accepted) intake.submit(spec, ADMIN, true)).pool();

        assertThat(kept.rosterSince()).isNull();
        assertThat(kept.owner()).isEqualTo(ADMIN.asOwner());
        assertThat(kept.events()).last().extracting(PoolEvent::reason).asString().contains("roster kept");
    }

    @Test
    void onceItsDataIsPurgedTheNameIsAnyonesWithAnEmptyRoster() {
        intake.submit(spec, ALICE);
        deleted(true);

        SubmitResult result = intake.submit(spec, BOB, true);

        assertThat(result).isInstanceOf(SubmitResult.Accepted.class);
        assertThat(((SubmitResult.Accepted) result).pool().owner()).isEqualTo(BOB.asOwner());
    }

    /** #27 finding 3: re-requests of Deleted names skipped the recount that new names got. */
    @Test
    void reRequestsOfDeletedNamesCountAgainstTheOwnersLimit() {
        PoolIntake limited = new PoolIntake(repository, queue, clock, new Limits(1, 200, Set.of()));
        limited.submit(PoolDocumentsFixture.spec("first"), ALICE);
        intake.submit(spec, ALICE);
        deleted(false);

        SubmitResult result = limited.submit(spec, ALICE);

        assertThat(result).isInstanceOf(SubmitResult.OverLimit.class);
        assertThat(repository.find(spec.poolName()).orElseThrow().pool().status()).isEqualTo(PoolStatus.Deleted);
    }

    @Test
    void theOwnerDeletesAndTheShareIsKeptByDefault() {
        intake.submit(spec, ALICE);

        DeleteResult result = intake.delete(spec.poolName(), ALICE, false, null);

        assertThat(result).isInstanceOf(DeleteResult.TeardownRequested.class);
        Pool pool = repository.find(spec.poolName()).orElseThrow().pool();
        assertThat(pool.status()).isEqualTo(PoolStatus.Deleting);
        assertThat(pool.purgeData()).isFalse();
        assertThat(queue.sent()).last().isEqualTo(WorkItem.teardown(spec.poolName(), 2, false));
    }

    @Test
    void anotherPrincipalMayNotDeleteButAnAdminMay() {
        intake.submit(spec, ALICE);

        assertThat(intake.delete(spec.poolName(), BOB, false, null)).isInstanceOf(DeleteResult.Forbidden.class);
        assertThat(intake.delete(spec.poolName(), Caller.FUNCTION_KEY, false, null))
                .isInstanceOf(DeleteResult.Forbidden.class);
        assertThat(intake.delete(spec.poolName(), ADMIN, false, null))
                .isInstanceOf(DeleteResult.TeardownRequested.class);
    }

    @Test
    void aPurgeNeedsThePoolsNameAsConfirmation() {
        intake.submit(spec, ALICE);

        assertThat(intake.delete(spec.poolName(), ALICE, true, null))
                .isInstanceOf(DeleteResult.ConfirmationRequired.class);
        assertThat(intake.delete(spec.poolName(), ALICE, true, "other-team"))
                .isInstanceOf(DeleteResult.ConfirmationRequired.class);
        assertThat(repository.find(spec.poolName()).orElseThrow().pool().status()).isEqualTo(PoolStatus.Accepted);

        assertThat(intake.delete(spec.poolName(), ALICE, true, "ml-team"))
                .isInstanceOf(DeleteResult.TeardownRequested.class);
        assertThat(queue.sent()).last().isEqualTo(WorkItem.teardown(spec.poolName(), 2, true));
    }

    @Test
    void deletingTwiceQueuesOneTeardownButAPurgeAfterwardsQueuesAnother() {
        intake.submit(spec, ALICE);
        intake.delete(spec.poolName(), ALICE, false, null);

        assertThat(intake.delete(spec.poolName(), ALICE, false, null))
                .isInstanceOf(DeleteResult.AlreadyRequested.class);
        assertThat(queue.sent()).hasSize(2);

        assertThat(intake.delete(spec.poolName(), ALICE, true, "ml-team"))
                .isInstanceOf(DeleteResult.TeardownRequested.class);
        assertThat(queue.sent()).last().isEqualTo(WorkItem.teardown(spec.poolName(), 3, true));
    }

    @Test
    void deletingAnUnknownPoolIsNotFound() {
        assertThat(intake.delete(new PoolName("ghost"), ALICE, false, null)).isInstanceOf(DeleteResult.NotFound.class);
    }
}
