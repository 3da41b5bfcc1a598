package org.dsvmpools.provisioning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsvmpools.cloud.ArmErrorClass;
import org.dsvmpools.cloud.CloudException;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolEndpoints;
import org.dsvmpools.pool.PoolFailure;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.pool.PoolEvent;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.Progress;
import org.dsvmpools.pool.StoredPool;
import org.dsvmpools.pool.WorkItem;
import org.dsvmpools.pool.WorkQueue;

/**
 * Handles one {@code pool-requests} message: reads the pool, runs reconcile passes, records each pass on the
 * pool, and either settles the pool (Ready, Deleted, Failed) or sends a follow-up message that becomes visible
 * when ARM expects to be done. Short waits happen inline, within {@link WorkerPolicy#invocationBudget()}.
 *
 * <p>Which message is current: one whose generation is the pool's and whose pass is the pool's recorded pass.
 * A stale generation (the pool was deleted or retried since), a duplicate delivery, or a message superseded by a
 * follow-up is dropped. The follow-up is sent before the pass that sends it is recorded: if the worker dies in
 * between, the original message comes back and is still current, and the early follow-up is dropped as not yet
 * current. Concurrent deliveries race on the record's ETag; the loser drops its message.
 */
public final class ProvisioningWorker {
    private final PoolRepository repository;
    private final WorkQueue queue;
    private final PoolReconciler reconciler;
    private final CloudResources cloud;
    private final BlueprintSettings settings;
    private final WorkerPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;
    private final FollowUps followUps;

    /** Waits between inline passes; tests replace it. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public ProvisioningWorker(PoolRepository repository, WorkQueue queue, CloudResources cloud,
                              BlueprintSettings settings, WorkerPolicy policy, Duration recheckAfter, Clock clock,
                              Sleeper sleeper) {
        this(repository, queue, cloud, settings, policy, recheckAfter, clock, sleeper, FollowUps.NONE);
    }

    public ProvisioningWorker(PoolRepository repository, WorkQueue queue, CloudResources cloud,
                              BlueprintSettings settings, WorkerPolicy policy, Duration recheckAfter, Clock clock,
                              Sleeper sleeper, FollowUps followUps) {
        this.repository = repository;
        this.queue = queue;
        this.cloud = cloud;
        this.reconciler = new PoolReconciler(cloud, recheckAfter, policy.minRequeueDelay());
        this.settings = settings;
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
        this.followUps = followUps;
    }

    public WorkOutcome handle(WorkItem item) throws InterruptedException {
        Instant started = clock.instant();
        Optional<StoredPool> found = repository.find(item.pool());
        while (true) {
            if (found.isEmpty()) {
                return new WorkOutcome.Dropped("pool " + item.pool() + " does not exist");
            }
            Optional<String> notCurrent = notCurrent(item, found.get().pool());
            if (notCurrent.isPresent()) {
                return new WorkOutcome.Dropped(notCurrent.get());
            }
            Step step = pass(found.get().pool(), item);
            if (step.delay == null) {
                return record(found.get(), step.pool)
                        .<WorkOutcome>map(this::finished)
                        .orElseGet(WorkOutcome.Dropped::lostRace);
            }
            Duration elapsed = Duration.between(started, clock.instant());
            if (step.delay.compareTo(policy.inlineWait()) <= 0
                    && elapsed.plus(step.delay).compareTo(policy.invocationBudget()) <= 0) {
                if (record(found.get(), step.pool).isEmpty()) {
                    return WorkOutcome.Dropped.lostRace();
                }
                sleeper.sleep(step.delay);
                found = repository.find(item.pool());
                continue;
            }
            return requeue(found.get(), step);
        }
    }

    private WorkOutcome finished(Pool pool) {
        if (pool.status() != PoolStatus.Ready && pool.status() != PoolStatus.Deleted) {
            return new WorkOutcome.Finished(pool.status());
        }
        try {
            return new WorkOutcome.Finished(pool.status(), pool.status() == PoolStatus.Ready
                    ? followUps.afterReady(pool.name()) : followUps.afterDeleted(pool.name()));
        } catch (RuntimeException e) {
            return new WorkOutcome.Finished(pool.status(), "what follows " + pool.status() + " failed, the pool stays "
                    + pool.status() + ": " + e);
        }
    }

    private Optional<String> notCurrent(WorkItem item, Pool pool) {
        if (item.generation() != pool.generation()) {
            return Optional.of("generation " + item.generation() + " is stale: pool " + pool.name() + " is at "
                    + pool.generation());
        }
        if (item.pass() != pool.progress().pass()) {
            return Optional.of("pass " + item.pass() + " of pool " + pool.name() + " is not current (the record is at"
                    + " pass " + pool.progress().pass() + "): a duplicate or superseded message");
        }
        boolean wanted = item.kind() == WorkItem.Kind.provision
                ? pool.status() == PoolStatus.Accepted || pool.status() == PoolStatus.Provisioning
                : pool.status() == PoolStatus.Deleting;
        return wanted ? Optional.empty()
                : Optional.of(item.kind() + " of pool " + pool.name() + " is not wanted: the pool is " + pool.status());
    }

    /** The next state of the pool, and when to look again (null: settled). */
    private record Step(Pool pool, Duration delay, String waitingFor) {
    }

    private Step pass(Pool pool, WorkItem item) {
        PoolBlueprint blueprint = Blueprint.of(pool.spec(), settings);
        Instant now = clock.instant();
        Pool working = pool.status() == PoolStatus.Accepted
                ? pool.moveTo(PoolStatus.Provisioning, "Provisioning started", now) : pool;
        ReconcileResult result = item.kind() == WorkItem.Kind.provision
                ? reconciler.provision(blueprint, pool.progress().byKey())
                : reconciler.teardown(blueprint, pool.purgeData(), pool.progress().byKey());
        if (result instanceof ReconcileResult.Done done && item.kind() == WorkItem.Kind.provision) {
            try {
                PoolEndpoints endpoints = endpoints(working, blueprint, done.resources());
                return new Step(working.advance(PoolStatus.Ready,
                        working.progress().with(done.resources(), 0, null, endpoints), "Ready", now), null, null);
            } catch (CloudException e) {
                result = e.classification() == ArmErrorClass.RETRYABLE
                        ? new ReconcileResult.Retry(done.resources(), ResourceKey.SCALE_SET.value(), e.reportedCode(), e.getMessage(),
                        policy.minRequeueDelay())
                        : new ReconcileResult.Failed(done.resources(), ResourceKey.SCALE_SET.value(), e.reportedCode(), e.getMessage());
            }
        }
        return next(working, item.kind(), result, now);
    }

    /** The endpoints need the instances' SSH ports: read once, when the pool becomes Ready. */
    private PoolEndpoints endpoints(Pool pool, PoolBlueprint blueprint, List<PoolResource> resources) {
        PoolBlueprint.ScaleSet scaleSet = (PoolBlueprint.ScaleSet) blueprint.resource(ResourceKey.SCALE_SET);
        Map<String, Integer> ports = cloud.sshPorts(blueprint.resourceGroup(),
                (PoolBlueprint.LoadBalancer) blueprint.resource(ResourceKey.LOAD_BALANCER), scaleSet);
        String fqdn = resources.stream().filter(r -> r.key().equals(ResourceKey.PUBLIC_IP.value())).findFirst()
                .map(r -> r.outputs().get(Outputs.FQDN))
                .orElseThrow(() -> new CloudException("NoDnsName", 0,
                        "the public IP reports no DNS name", null));
        return Endpoints.of(fqdn, pool.spec().access().adminUsername(), ports);
    }

    private Step next(Pool pool, WorkItem.Kind work, ReconcileResult result, Instant now) {
        Progress progress = pool.progress();
        List<PoolResource> resources = result.resources();
        if (result instanceof ReconcileResult.Done) {
            return new Step(pool.advance(PoolStatus.Deleted, progress.with(resources, 0, null, null),
                    deletedReason(pool), now), null, null);
        }
        if (result instanceof ReconcileResult.InProgress inProgress) {
            return new Step(pool.advance(pool.status(), progress.with(resources, 0, null, null), null, now),
                    policy.requeueDelay(inProgress.recheckAfter()), inProgress.waitingFor());
        }
        if (result instanceof ReconcileResult.Retry retry && progress.retries() < policy.maxRetries()) {
            int retries = progress.retries() + 1;
            Duration delay = policy.requeueDelay(policy.backoff(retry.after(), retries));
            Pool noted = pool.note(PoolEvent.Source.worker, PoolEvent.Kind.warning, "ARM answered " + retry.code() + " for " + retry.resourceKey() + " (attempt "
                    + retries + " of " + policy.maxRetries() + "); trying again in " + delay.toSeconds() + " s", now);
            return new Step(noted.advance(noted.status(), progress.with(resources, retries, null, null), null, now),
                    delay, retry.resourceKey());
        }
        PoolFailure failure = failureOf(work, result);
        String reason = (work == WorkItem.Kind.provision ? "Provisioning" : "Teardown") + " failed: " + failure.code()
                + (failure.resource() == null ? "" : " on " + failure.resource()) + ": " + failure.message();
        return new Step(pool.advance(PoolStatus.Failed, progress.with(resources, 0, failure, null), reason, now),
                null, null);
    }

    private static PoolFailure failureOf(WorkItem.Kind work, ReconcileResult result) {
        if (result instanceof ReconcileResult.Retry retry) {
            return new PoolFailure(work, retry.resourceKey(), retry.code(), "still failing after retries: "
                    + retry.message());
        }
        ReconcileResult.Failed failed = (ReconcileResult.Failed) result;
        return new PoolFailure(work, failed.resourceKey(), failed.code(), failed.message());
    }

    private static String deletedReason(Pool pool) {
        if (pool.purgeData()) {
            return "Deleted with its data";
        }
        return "Deleted; kept " + pool.progress().resource(ResourceKey.STORAGE.value()).map(PoolResource::name).orElse("the storage account")
                + " and its share " + pool.progress().resource(ResourceKey.SHARE.value()).map(PoolResource::name).orElse("")
                + " (the users' data)";
    }

    /** Sends the follow-up first, then records the pass it belongs to (see the class comment for why). */
    private WorkOutcome requeue(StoredPool stored, Step step) {
        Pool next = step.pool.withProgress(step.pool.progress().nextPass());
        queue.send(next.currentWork(), step.delay);
        return record(stored, next)
                .<WorkOutcome>map(pool -> new WorkOutcome.Requeued(pool.status(), pool.progress().pass(), step.delay,
                        step.waitingFor))
                .orElseGet(WorkOutcome.Dropped::lostRace);
    }

    private Optional<Pool> record(StoredPool stored, Pool next) {
        try {
            repository.replace(stored, next);
            return Optional.of(next);
        } catch (PoolRepository.StaleRecordException lostRace) {
            return Optional.empty();
        }
    }
}
