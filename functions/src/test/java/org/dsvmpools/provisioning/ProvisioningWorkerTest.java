package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolIntake;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.ResourceState;
import org.dsvmpools.pool.StoredPool;
import org.dsvmpools.pool.WorkItem;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.MutableClock;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.dsvmpools.testing.RecordingWorkQueue;
import org.junit.jupiter.api.Test;

class ProvisioningWorkerTest {
    private static final Caller ALICE = new Caller("alice-id", "Alice", Set.of());
    private static final PoolName NAME = new PoolName("ml-team");
    private static final BlueprintSettings SETTINGS = new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "sub",
            null, BlueprintSettings.AZURE_ARM);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final InMemoryPoolRepository repository = new InMemoryPoolRepository();
    private final RecordingWorkQueue queue = new RecordingWorkQueue();
    private final FakeCloud cloud = new FakeCloud();
    private final List<Duration> sleeps = new ArrayList<>();
    private final PoolIntake intake = new PoolIntake(repository, queue, clock);
    private final ProvisioningWorker worker = worker(repository);

    private ProvisioningWorker worker(org.dsvmpools.pool.PoolRepository records) {
        return new ProvisioningWorker(records, queue, cloud, SETTINGS, WorkerPolicy.defaults(), Duration.ofSeconds(15),
                clock, duration -> {
                    sleeps.add(duration);
                    clock.advance(duration);
                    cloud.finishAll();
                });
    }

    private Pool pool() {
        return repository.find(NAME).orElseThrow().pool();
    }

    private WorkItem lastSent() {
        return queue.sent().get(queue.sent().size() - 1);
    }

    /** Delivers the newest message, as the queue would once it is visible, after ARM finished what was begun. */
    private WorkOutcome deliverNext() throws InterruptedException {
        cloud.finishAll();
        return worker.handle(lastSent());
    }

    private WorkOutcome runToTheEnd() throws InterruptedException {
        WorkOutcome outcome = deliverNext();
        for (int i = 0; i < 20 && outcome instanceof WorkOutcome.Requeued; i++) {
            outcome = deliverNext();
        }
        return outcome;
    }

    @Test
    void whatFollowsReadyRunsOnceThePoolIsReadyAndItsFailureLeavesThePoolReady() throws InterruptedException {
        List<PoolName> followed = new ArrayList<>();
        ProvisioningWorker onboarding = new ProvisioningWorker(repository, queue, cloud, SETTINGS,
                WorkerPolicy.defaults(), Duration.ofSeconds(15), clock, clock::advance, FollowUps.afterReady(pool -> {
                    followed.add(pool);
                    assertThat(repository.find(pool).orElseThrow().pool().status()).isEqualTo(PoolStatus.Ready);
                    throw new IllegalStateException("share unreachable");
                }));
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);

        WorkOutcome outcome = onboarding.handle(lastSent());
        for (int i = 0; i < 20 && outcome instanceof WorkOutcome.Requeued; i++) {
            cloud.finishAll();
            outcome = onboarding.handle(lastSent());
        }

        assertThat(followed).containsExactly(NAME);
        assertThat(outcome).isInstanceOfSatisfying(WorkOutcome.Finished.class, finished -> {
            assertThat(finished.status()).isEqualTo(PoolStatus.Ready);
            assertThat(finished.followUp()).contains("stays Ready").contains("share unreachable");
        });
        assertThat(pool().status()).isEqualTo(PoolStatus.Ready);
        assertThat(onboarding.handle(lastSent())).isInstanceOf(WorkOutcome.Dropped.class);
        assertThat(followed).hasSize(1);
    }

    @Test
    void aPoolIsProvisionedWaveByWaveWithFollowUpsUntilReadyWithEndpoints() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);

        WorkOutcome first = worker.handle(lastSent());

        assertThat(first).isInstanceOf(WorkOutcome.Requeued.class);
        assertThat(pool().status()).isEqualTo(PoolStatus.Provisioning);
        assertThat(lastSent().pass()).isEqualTo(1);
        assertThat(queue.sentWithDelays().get(1).visibleAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(pool().progress().pass()).isEqualTo(1);

        assertThat(runToTheEnd()).isEqualTo(new WorkOutcome.Finished(PoolStatus.Ready));
        Pool ready = pool();
        assertThat(ready.progress().resources()).extracting(PoolResource::state).containsOnly(ResourceState.Succeeded);
        assertThat(ready.progress().endpoints().sshLogin()).as("users: one address for the pool")
                .isEqualTo("ssh <user>@ml-team.westeurope.cloudapp.azure.com");
        assertThat(ready.progress().endpoints().ssh()).extracting(ssh -> ssh.command()).containsExactly(
                "ssh -p 50000 pooladmin@ml-team.westeurope.cloudapp.azure.com",
                "ssh -p 50001 pooladmin@ml-team.westeurope.cloudapp.azure.com");
        assertThat(ready.progress().endpoints().jupyterHub())
                .isEqualTo("https://ml-team.westeurope.cloudapp.azure.com:8000/");
        assertThat(ready.events()).extracting(e -> e.status()).containsSubsequence(PoolStatus.Accepted,
                PoolStatus.Provisioning, PoolStatus.Ready);
    }

    @Test
    void operationsArmExpectsSoonAreWaitedForInlineNotThroughTheQueue() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        cloud.hint = Duration.ofSeconds(2);

        assertThat(worker.handle(lastSent())).isEqualTo(new WorkOutcome.Finished(PoolStatus.Ready));

        assertThat(sleeps).isNotEmpty().allMatch(d -> d.equals(Duration.ofSeconds(2)));
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void inlineWaitingStopsAtTheInvocationBudget() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        cloud.hint = Duration.ofSeconds(5);
        ProvisioningWorker slowArm = new ProvisioningWorker(repository, queue, cloud, SETTINGS,
                new WorkerPolicy(Duration.ofSeconds(5), Duration.ofSeconds(12), Duration.ofSeconds(1), 8,
                        Duration.ofMinutes(5)), Duration.ofSeconds(15), clock, duration -> {
                    clock.advance(duration);
                    cloud.finishAll();
                });

        assertThat(slowArm.handle(lastSent())).isInstanceOf(WorkOutcome.Requeued.class);
        assertThat(queue.sent()).hasSize(2);
    }

    @Test
    void theSameMessageDeliveredThreeTimesMakesOnePoolWithOneOfEachResource() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        WorkItem original = lastSent();

        worker.handle(original);
        assertThat(worker.handle(original)).isInstanceOf(WorkOutcome.Dropped.class);
        assertThat(runToTheEnd()).isEqualTo(new WorkOutcome.Finished(PoolStatus.Ready));
        assertThat(worker.handle(original)).isInstanceOf(WorkOutcome.Dropped.class);

        for (PoolBlueprint.Resource resource : Blueprint.of(pool().spec(), SETTINGS).resources()) {
            assertThat(cloud.creates(resource.key().value())).as(resource.key().value()).isEqualTo(1);
        }
    }

    @Test
    void aWorkerKilledMidPassIsResumedByTheRedeliveredMessage() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        worker.handle(lastSent());
        deliverNext();
        WorkItem inFlight = lastSent();
        cloud.finishAll();
        CrashingCloud crashing = new CrashingCloud(cloud, "create storage");
        ProvisioningWorker dying = new ProvisioningWorker(repository, queue, crashing, SETTINGS,
                WorkerPolicy.defaults(), Duration.ofSeconds(15), clock, duration -> { });

        assertThatThrownBy(() -> dying.handle(inFlight)).isInstanceOf(IllegalStateException.class);

        assertThat(worker.handle(inFlight)).isInstanceOf(WorkOutcome.Requeued.class);
        assertThat(runToTheEnd()).isEqualTo(new WorkOutcome.Finished(PoolStatus.Ready));
        assertThat(cloud.states).hasSize(8).allSatisfy((key, state) ->
                assertThat(state).isEqualTo(Observation.State.SUCCEEDED));
    }

    @Test
    void aWorkerKilledAfterSendingItsFollowUpButBeforeRecordingLosesNothing() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        WorkItem original = lastSent();
        FailingReplace unreachableTable = new FailingReplace(repository);
        ProvisioningWorker dying = worker(unreachableTable);

        assertThatThrownBy(() -> dying.handle(original)).isInstanceOf(IllegalStateException.class);
        WorkItem early = lastSent();

        assertThat(worker.handle(early)).isInstanceOf(WorkOutcome.Dropped.class);
        assertThat(worker.handle(original)).isInstanceOf(WorkOutcome.Requeued.class);
        assertThat(runToTheEnd()).isEqualTo(new WorkOutcome.Finished(PoolStatus.Ready));
    }

    @Test
    void aStaleGenerationIsDropped() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        WorkItem old = lastSent();
        intake.delete(NAME, ALICE, false, null);

        WorkOutcome outcome = worker.handle(old);

        assertThat(outcome).isInstanceOf(WorkOutcome.Dropped.class);
        assertThat(((WorkOutcome.Dropped) outcome).reason()).contains("generation 1 is stale");
        assertThat(cloud.calls).isEmpty();
    }

    @Test
    void teardownWinsOverAProvisionInFlight() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        worker.handle(lastSent());
        WorkItem provisionFollowUp = lastSent();
        intake.delete(NAME, ALICE, false, null);
        WorkItem teardown = lastSent();

        assertThat(worker.handle(provisionFollowUp)).isInstanceOf(WorkOutcome.Dropped.class);
        assertThat(teardown.kind()).isEqualTo(WorkItem.Kind.teardown);
        assertThat(runToTheEnd()).isEqualTo(new WorkOutcome.Finished(PoolStatus.Deleted));

        Pool deleted = pool();
        assertThat(deleted.progress().resource("share").orElseThrow().state())
                .as("the provision never got to the share").isEqualTo(ResourceState.Pending);
        assertThat(deleted.progress().resource("securityGroup").orElseThrow().state())
                .isEqualTo(ResourceState.Deleted);
        assertThat(deleted.events().get(deleted.events().size() - 1).reason()).contains("kept");
    }

    @Test
    void aQuotaErrorFailsThePoolWithTheArmCodeAndARetryStartsOver() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        cloud.failNext("securityGroup", "QuotaExceeded", 409);

        assertThat(worker.handle(lastSent())).isEqualTo(new WorkOutcome.Finished(PoolStatus.Failed));

        Pool failed = pool();
        assertThat(failed.progress().failure().code()).isEqualTo("QuotaExceeded");
        assertThat(failed.progress().failure().resource()).isEqualTo("securityGroup");
        assertThat(failed.events().get(failed.events().size() - 1).reason())
                .isEqualTo("Provisioning failed: QuotaExceeded on securityGroup: injected QuotaExceeded");

        intake.retry(NAME, ALICE);
        assertThat(pool().status()).isEqualTo(PoolStatus.Accepted);
        assertThat(lastSent().generation()).isEqualTo(2);
        assertThat(runToTheEnd()).isEqualTo(new WorkOutcome.Finished(PoolStatus.Ready));
    }

    @Test
    void retryableErrorsBackOffAndFailThePoolOnlyAfterTheLimit() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        cloud.failAlways("resourceGroup", "TooManyRequests", 429);
        List<Duration> requeued = new ArrayList<>();
        WorkOutcome outcome = worker.handle(lastSent());
        for (int i = 0; i < 20 && outcome instanceof WorkOutcome.Requeued again; i++) {
            requeued.add(again.delay());
            outcome = worker.handle(lastSent());
        }

        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(requeued).containsExactly(Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(32),
                Duration.ofSeconds(64), Duration.ofSeconds(128));
        assertThat(outcome).isEqualTo(new WorkOutcome.Finished(PoolStatus.Failed));
        assertThat(pool().progress().failure().code()).isEqualTo("TooManyRequests");
        assertThat(pool().progress().failure().message()).startsWith("still failing after retries");
    }

    @Test
    void aPurgeDeletesTheResourceGroupAndEndsDeleted() throws InterruptedException {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        worker.handle(lastSent());
        runToTheEnd();
        intake.delete(NAME, ALICE, true, "ml-team");

        assertThat(runToTheEnd()).isEqualTo(new WorkOutcome.Finished(PoolStatus.Deleted));
        assertThat(cloud.calls).contains("delete group");
        assertThat(pool().progress().resources()).extracting(PoolResource::state).containsOnly(ResourceState.Deleted);
    }

    @Test
    void aPoisonedMessageMarksItsPoolFailedButNotAPoolThatMovedOn() {
        intake.submit(PoolDocumentsFixture.spec("ml-team"), ALICE);
        WorkItem item = lastSent();
        PoisonedWork poisoned = new PoisonedWork(repository, clock);

        assertThat(poisoned.handle(item)).isEqualTo(new WorkOutcome.Finished(PoolStatus.Failed));
        assertThat(pool().progress().failure().code()).isEqualTo(PoisonedWork.CODE);
        assertThat(poisoned.handle(item)).isInstanceOf(WorkOutcome.Dropped.class);
    }

    /** Dies (as a killed process would, with no chance to record anything) on one call. */
    private static final class CrashingCloud implements CloudResources {
        private final FakeCloud delegate;
        private final String crashOn;

        CrashingCloud(FakeCloud delegate, String crashOn) {
            this.delegate = delegate;
            this.crashOn = crashOn;
        }

        private void maybeCrash(String call) {
            if (call.equals(crashOn)) {
                throw new IllegalStateException("worker killed at " + call);
            }
        }

        @Override
        public void ensureGroup(PoolBlueprint.ResourceGroup group) {
            delegate.ensureGroup(group);
        }

        @Override
        public java.util.Optional<Map<String, String>> groupTags(PoolBlueprint.ResourceGroup group) {
            return delegate.groupTags(group);
        }

        @Override
        public Observation observe(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource) {
            return delegate.observe(group, resource);
        }

        @Override
        public Observation beginCreate(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                                       Map<String, PoolResource> known) {
            Observation begun = delegate.beginCreate(group, resource, known);
            maybeCrash("create " + resource.key().value());
            return begun;
        }

        @Override
        public Observation beginDelete(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                                       Map<String, PoolResource> known) {
            return delegate.beginDelete(group, resource, known);
        }

        @Override
        public Observation beginDeleteGroup(PoolBlueprint.ResourceGroup group) {
            return delegate.beginDeleteGroup(group);
        }

        @Override
        public boolean groupExists(PoolBlueprint.ResourceGroup group) {
            return delegate.groupExists(group);
        }

        @Override
        public Map<String, Integer> sshPorts(PoolBlueprint.ResourceGroup group, PoolBlueprint.LoadBalancer lb,
                                             PoolBlueprint.ScaleSet scaleSet) {
            return delegate.sshPorts(group, lb, scaleSet);
        }
    }

    /** A repository whose writes die, as a worker killed between its queue send and its record would. */
    private static final class FailingReplace implements org.dsvmpools.pool.PoolRepository {
        private final InMemoryPoolRepository delegate;

        FailingReplace(InMemoryPoolRepository delegate) {
            this.delegate = delegate;
        }

        @Override
        public java.util.Optional<StoredPool> find(PoolName name) {
            return delegate.find(name);
        }

        @Override
        public void create(Pool pool) {
            delegate.create(pool);
        }

        @Override
        public void replace(StoredPool current, Pool next) {
            throw new IllegalStateException("worker killed before recording");
        }

        @Override
        public LimitsVersion limitsVersion() {
            return delegate.limitsVersion();
        }

        @Override
        public void create(Pool pool, LimitsVersion seen) {
            delegate.create(pool, seen);
        }

        @Override
        public void replace(StoredPool current, Pool next, LimitsVersion seen) {
            throw new IllegalStateException("worker killed before recording");
        }

        @Override
        public org.dsvmpools.pool.PoolPage list(String continuationToken, int maxPageSize,
                                                java.util.Set<org.dsvmpools.pool.PoolStatus> statuses) {
            return delegate.list(continuationToken, maxPageSize, statuses);
        }

        @Override
        public List<StoredPool> findUnchangedSince(PoolStatus status, Instant before) {
            return delegate.findUnchangedSince(status, before);
        }
    }
}
