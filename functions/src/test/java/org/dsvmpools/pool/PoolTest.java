package org.dsvmpools.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PoolTest {
    private static final Instant T0 = Instant.parse("2026-11-27T08:00:00Z");
    private static final Caller ALICE = new Caller("alice-id", "Alice", Set.of());

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "Accepted, Provisioning, true",
            "Accepted, Deleting, true",
            "Accepted, Ready, false",
            "Provisioning, Ready, true",
            "Provisioning, Accepted, false",
            "Ready, Provisioning, true",
            "Ready, Deleted, false",
            "Failed, Provisioning, true",
            "Failed, Accepted, true",
            "Failed, Ready, false",
            "Deleting, Deleted, true",
            "Deleting, Ready, false",
            "Deleted, Accepted, true",
            "Deleted, Deleting, true",
            "Deleted, Ready, false"})
    void onlyListedTransitionsAreAllowed(PoolStatus from, PoolStatus to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    }

    private static Pool failed(WorkItem.Kind work) {
        Pool pool = Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0)
                .moveTo(PoolStatus.Provisioning, "started", T0);
        if (work == WorkItem.Kind.teardown) {
            pool = pool.requestTeardown(false, ALICE, T0);
        }
        return pool.advance(PoolStatus.Failed, pool.progress().nextPass().with(List.of(new PoolResource("scaleSet",
                "instances", null, ResourceState.Failed, Map.of())), 0, new PoolFailure(work, "scaleSet",
                "QuotaExceeded", "no cores"), null), "failed", T0.plusSeconds(60));
    }

    @Test
    void aRetryOfAFailedProvisionAcceptsANewGenerationThatAsksForEveryResourceAgain() {
        Pool failed = failed(WorkItem.Kind.provision);

        Pool retried = failed.retry(ALICE, T0.plusSeconds(120));

        assertThat(retried.status()).isEqualTo(PoolStatus.Accepted);
        assertThat(retried.generation()).isEqualTo(failed.generation() + 1);
        assertThat(retried.progress().pass()).isZero();
        assertThat(retried.progress().failure()).isNull();
        assertThat(retried.progress().resources()).extracting(PoolResource::state).containsOnly(ResourceState.Pending);
        assertThat(retried.currentWork()).isEqualTo(WorkItem.provision(failed.name(), failed.generation() + 1));
    }

    @Test
    void aRetryOfAFailedTeardownDeletesAgain() {
        Pool retried = failed(WorkItem.Kind.teardown).retry(ALICE, T0.plusSeconds(120));

        assertThat(retried.status()).isEqualTo(PoolStatus.Deleting);
        assertThat(retried.currentWork().kind()).isEqualTo(WorkItem.Kind.teardown);
    }

    @Test
    void onlyAFailedPoolIsRetried() {
        Pool accepted = Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0);

        assertThatThrownBy(() -> accepted.retry(ALICE, T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCurrentWorkCarriesTheRecordedPass() {
        Pool pool = Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0);

        assertThat(pool.withProgress(pool.progress().nextPass().nextPass()).currentWork().pass()).isEqualTo(2);
    }

    @Test
    void everyStatusChangeAppendsAnEvent() {
        Pool pool = Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0)
                .moveTo(PoolStatus.Provisioning, "worker started", T0.plusSeconds(5))
                .moveTo(PoolStatus.Ready, "scale set running", T0.plusSeconds(300));

        assertThat(pool.events()).extracting(PoolEvent::status)
                .containsExactly(PoolStatus.Accepted, PoolStatus.Provisioning, PoolStatus.Ready);
        assertThat(pool.updatedAt()).isEqualTo(T0.plusSeconds(300));
        assertThat(pool.createdAt()).isEqualTo(T0);
    }

    @Test
    void aForbiddenTransitionFailsLoudly() {
        Pool pool = Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0);

        assertThatThrownBy(() -> pool.moveTo(PoolStatus.Deleted, "skipping teardown", T0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Accepted").hasMessageContaining("Deleted");
    }

    /** #30: who acted and what kind of entry are types; the reason says only why. */
    @Test
    void eachEventSaysWhoActedAndWhatKindOfEntryItIs() {
        Pool accepted = Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0);
        Pool failed = accepted.moveTo(PoolStatus.Provisioning, "Provisioning started", T0)
                .advance(PoolStatus.Failed, accepted.progress(), "QuotaExceeded", T0);
        Pool retried = failed.retry(ALICE, T0);

        assertThat(retried.events()).extracting(e -> e.source() + "/" + e.kind() + "/" + e.status())
                .containsExactly("requester/state/Accepted", "worker/state/Provisioning", "worker/failure/Failed",
                        "requester/state/Accepted");
        assertThat(accepted.requestTeardown(false, ALICE, T0).requestTeardown(true, ALICE, T0).events())
                .last().extracting(e -> e.source() + "/" + e.kind()).isEqualTo("requester/action");
        assertThatThrownBy(() -> accepted.advance(PoolStatus.Deleted, accepted.progress(), "x", T0))
                .as("the worker's moves keep the state machine's rules").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theHistoryKeepsTheFirstEventAndTheNewestOnes() {
        Pool pool = Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0);
        for (int i = 1; i <= 120; i++) {
            pool = pool.note(org.dsvmpools.pool.PoolEvent.Source.requester, org.dsvmpools.pool.PoolEvent.Kind.action, "note " + i, T0.plusSeconds(i));
        }

        assertThat(pool.events()).hasSize(Pool.MAX_EVENTS);
        assertThat(pool.events().get(0).reason()).contains("Pool requested");
        assertThat(pool.events()).last().extracting(PoolEvent::reason).isEqualTo("note 120");
        assertThat(pool.events().get(1).reason()).isEqualTo("note " + (120 - Pool.MAX_EVENTS + 2));
    }

    @Test
    void teardownBumpsTheGenerationSoTheWorkerSeesNewWork() {
        Pool pool = Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0);

        Pool deleting = pool.requestTeardown(false, ALICE, T0);

        assertThat(deleting.generation()).isEqualTo(pool.generation() + 1);
        assertThat(deleting.currentWork()).isEqualTo(WorkItem.teardown(pool.name(), 2, false));
        assertThat(pool.currentWork()).isEqualTo(WorkItem.provision(pool.name(), 1));
    }
}
