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

class StuckPoolRecoveryTest {
    private static final Caller ALICE = new Caller("alice-id", "Alice", Set.of());
    private static final Duration STUCK_AFTER = Duration.ofMinutes(10);

    private final InMemoryPoolRepository repository = new InMemoryPoolRepository();
    private final RecordingWorkQueue queue = new RecordingWorkQueue();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
    private final PoolIntake intake = new PoolIntake(repository, queue, clock);
    private final StuckPoolRecovery recovery = new StuckPoolRecovery(repository, queue, clock, STUCK_AFTER);

    @Test
    void aPoolWhoseMessageWasLostIsSentAgainAfterTheGracePeriod() {
        queue.setDown(true);
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        queue.setDown(false);

        clock.advance(Duration.ofMinutes(9));
        assertThat(recovery.recover().resent()).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        StuckPoolRecovery.Report report = recovery.recover();

        assertThat(report.resent()).containsExactly(new PoolName("ml-team"));
        assertThat(queue.sent()).containsExactly(WorkItem.provision(new PoolName("ml-team"), 1));
        Pool pool = repository.find(new PoolName("ml-team")).orElseThrow().pool();
        assertThat(pool.events()).last().extracting(PoolEvent::reason).asString().contains("sent again");
    }

    @Test
    void aResentPoolIsNotResentAgainUntilAnotherGracePeriodPasses() {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        clock.advance(Duration.ofMinutes(11));
        recovery.recover();

        clock.advance(Duration.ofMinutes(5));

        assertThat(recovery.recover().resent()).isEmpty();
        assertThat(queue.sent()).hasSize(2);
    }

    @Test
    void aStuckTeardownIsSentAgainAsATeardown() {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        queue.setDown(true);
        intake.delete(new PoolName("ml-team"), ALICE, true, "ml-team");
        queue.setDown(false);
        clock.advance(Duration.ofMinutes(11));

        recovery.recover();

        assertThat(queue.sent()).last().isEqualTo(WorkItem.teardown(new PoolName("ml-team"), 2, true));
    }

    @Test
    void settledPoolsAreLeftAlone() {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        StoredPool stored = repository.find(new PoolName("ml-team")).orElseThrow();
        repository.replace(stored, stored.pool().moveTo(PoolStatus.Provisioning, "worker started", clock.instant())
                .moveTo(PoolStatus.Ready, "Ready", clock.instant()));
        clock.advance(Duration.ofHours(1));

        assertThat(recovery.recover().resent()).isEmpty();
    }

    @Test
    void aProvisioningPoolNoPassHasTouchedForLongGetsItsCurrentPassSentAgain() {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        StoredPool stored = repository.find(new PoolName("ml-team")).orElseThrow();
        Pool working = stored.pool().moveTo(PoolStatus.Provisioning, "worker started", clock.instant());
        repository.replace(stored, working.withProgress(working.progress().nextPass().nextPass()));
        clock.advance(Duration.ofMinutes(9));
        assertThat(recovery.recover().resent()).isEmpty();

        clock.advance(Duration.ofMinutes(2));

        assertThat(recovery.recover().resent()).containsExactly(new PoolName("ml-team"));
        assertThat(queue.sent().get(queue.sent().size() - 1).pass()).isEqualTo(2);
    }

    @Test
    void aQueueStillDownIsReportedAndTheNextPassTriesAgain() {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        queue.setDown(true);
        clock.advance(Duration.ofMinutes(11));

        assertThat(recovery.recover().failed()).containsExactly(new PoolName("ml-team"));

        queue.setDown(false);
        clock.advance(Duration.ofMinutes(11));
        assertThat(recovery.recover().resent()).containsExactly(new PoolName("ml-team"));
    }
}
