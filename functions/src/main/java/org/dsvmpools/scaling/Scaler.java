package org.dsvmpools.scaling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.dsvmpools.cloud.CloudException;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolEvent;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolPage;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolUpdate;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;

/**
 * The scaler's tick: for every Ready pool, under the pool's lease, read its instances (one list call) and its
 * agents' reports, decide, apply each action through ARM, and record what was done, and what failed, as pool
 * events. A failed action is not retried within the tick: the next tick decides again from what ARM reports.
 */
public final class Scaler {
    /** Longer than any evaluation takes, shorter than the tick: a crashed evaluation blocks one tick at most. */
    static final Duration LEASE = Duration.ofSeconds(50);

    private final PoolRepository repository;
    private final PoolInstances instances;
    private final UsageReports reports;
    private final ScalerLeases leases;
    private final ScalingSnapshots snapshots;
    private final DemandHistories histories;
    private final Clock clock;
    /** How far ahead the pool document shows the forecast. */
    static final int FORECAST_HOURS = 4;

    public Scaler(PoolRepository repository, PoolInstances instances, UsageReports reports, ScalerLeases leases,
                  ScalingSnapshots snapshots, DemandHistories histories, Clock clock) {
        this.histories = histories;
        this.repository = repository;
        this.instances = instances;
        this.reports = reports;
        this.leases = leases;
        this.snapshots = snapshots;
        this.clock = clock;
    }

    /** What one evaluation of one pool came to. */
    public sealed interface Outcome {
        PoolName pool();

        record Skipped(PoolName pool, String reason) implements Outcome {
        }

        /** Another evaluation holds the pool's lease: it decides without what this one was asked to add. */
        record Busy(PoolName pool) implements Outcome {
        }

        record Evaluated(PoolName pool, ScalingDecision decision, List<String> applied, List<String> failed)
                implements Outcome {
        }

        /** The evaluation failed before it could decide; the failure is on the pool's snapshot and history. */
        record Failed(PoolName pool, ScalingSnapshot.Failure failure) implements Outcome {
        }
    }

    /**
     * Evaluates every Ready pool, each on its own: one pool's failure is recorded on that pool and the others go on.
     * The order turns by one pool a minute, so no pool is always last when a tick runs long.
     */
    public List<Outcome> tick() {
        List<PoolName> ready = new ArrayList<>();
        String token = null;
        do {
            PoolPage page = repository.list(token, 100);
            for (Pool pool : page.pools()) {
                if (pool.status() == PoolStatus.Ready) {
                    ready.add(pool.name());
                }
            }
            token = page.continuationToken();
        } while (token != null);
        List<Outcome> outcomes = new ArrayList<>();
        int first = ready.isEmpty() ? 0 : (int) Math.floorMod(clock.instant().getEpochSecond() / 60, ready.size());
        for (int i = 0; i < ready.size(); i++) {
            PoolName pool = ready.get((first + i) % ready.size());
            try {
                outcomes.add(evaluate(pool, 0));
            } catch (RuntimeException e) {
                // The lease or the pool's record could not be read: nothing about the pool can be written either.
                outcomes.add(new Outcome.Failed(pool, new ScalingSnapshot.Failure("the scaler could not read this"
                        + " pool's state (" + e.getClass().getSimpleName() + "); the next tick tries again",
                        clock.instant(), null)));
            }
        }
        return outcomes;
    }

    /** @param wakeSeats seats asked for by a wake request (0 on a plain tick) */
    public Outcome evaluate(PoolName name, int wakeSeats) {
        String holder = UUID.randomUUID().toString();
        Instant now = clock.instant();
        if (!leases.tryAcquire(name, holder, now, LEASE)) {
            return new Outcome.Busy(name);
        }
        try {
            Optional<StoredPool> found = repository.find(name);
            if (found.isEmpty() || found.get().pool().status() != PoolStatus.Ready) {
                return new Outcome.Skipped(name, "pool " + name + " is not Ready");
            }
            Optional<ScalingSnapshot> last = snapshots.find(name);
            if (last.isPresent() && last.get().waitsAt(now)) {
                return new Outcome.Skipped(name, "Azure throttled pool " + name + "; it is evaluated again after "
                        + last.get().failure().retryAt());
            }
            try {
                return evaluate(found.get().pool(), last, wakeSeats, now);
            } catch (RuntimeException e) {
                return failed(name, last, e, now);
            }
        } finally {
            leases.release(name, holder);
        }
    }

    /** Azure's Retry-After when a throttled answer carried none: ARM's buckets refill within a minute. */
    static final Duration THROTTLED_WITHOUT_RETRY_AFTER = Duration.ofSeconds(60);

    /**
     * Records why {@code name} could not be evaluated, on its snapshot (GET) and, when the reason is new, as an
     * event; a throttled pool is left alone until its Retry-After.
     */
    private Outcome failed(PoolName name, Optional<ScalingSnapshot> last, RuntimeException e, Instant now) {
        String reason;
        Instant retryAt = null;
        if (e instanceof CloudException cloud && cloud.throttled()) {
            retryAt = now.plus(cloud.retryAfter().orElse(THROTTLED_WITHOUT_RETRY_AFTER));
            reason = "Azure throttled the scaler's requests for this pool (" + cloud.reportedCode()
                    + "); it is left as it is until Azure's Retry-After has passed";
        } else if (e instanceof CloudException cloud) {
            reason = "Azure refused the scaler's request for this pool (" + cloud.reportedCode() + ": "
                    + cloud.getMessage() + "); the next tick tries again";
        } else {
            reason = "the scaler could not evaluate this pool (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); the next tick tries again";
        }
        ScalingSnapshot.Failure before = last.map(ScalingSnapshot::failure).orElse(null);
        boolean repeated = before != null && before.reason().equals(reason);
        ScalingSnapshot.Failure failure = new ScalingSnapshot.Failure(reason, repeated ? before.since() : now, retryAt);
        try {
            snapshots.save(name, last.orElseGet(() -> new ScalingSnapshot(now, "not evaluated yet", List.of(),
                    List.of(), List.of())).failed(failure));
            if (!repeated) {
                record(name, List.of(), List.of(reason), List.of());
            }
        } catch (RuntimeException unrecorded) {
            // The store failed too: the outcome still says why, and the next tick records it.
        }
        return new Outcome.Failed(name, failure);
    }

    private Outcome evaluate(Pool pool, Optional<ScalingSnapshot> last, int wakeSeats, Instant now) {
        PoolName name = pool.name();
        ScaleSetRef scaleSet = new ScaleSetRef(AzureNames.resourceGroupOf(pool.spec()),
                AzureNames.of(pool.name()).scaleSet(), pool.spec().image());
        Map<String, Instant> lastDrained = draining(last);
        List<Instance> seen = instances.list(scaleSet).stream()
                .map(instance -> instance.draining(isDraining(instance, lastDrained.get(instance.id())))).toList();
        Map<String, UsageReport> latest = reports.latest(name);
        ScalingConfig config = ScalingConfigs.of(pool.spec());
        List<String> unlearnt = new ArrayList<>();
        DemandForecast forecast = learn(name, config, latest, wakeSeats, now, unlearnt);
        ScalingDecision decision = ScalingPolicy.decide(config, seen, latest, now, wakeSeats, forecast)
                .withWarnings(unlearnt);
        List<String> applied = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Map<String, Instant> drained = lastDrained;
        for (ScalingAction action : decision.actions()) {
            try {
                instances.apply(scaleSet, action);
                applied.add(action.reason());
                drained = afterApplying(action, drained);
            } catch (CloudException e) {
                failed.add(action.reason() + " failed (" + e.reportedCode() + "); the next tick decides again");
            }
        }
        // A warning that stands from tick to tick is an event once, not a rewrite of the pool's record each minute.
        List<String> previous = last.map(ScalingSnapshot::warnings).orElse(List.of());
        record(name, applied, failed, decision.warnings().stream().filter(w -> !previous.contains(w)).toList());
        // What was allocated since the last count is what was seen then and now alike; a tick's actions show next time.
        Metered metered = last.map(ScalingSnapshot::metered).map(m -> m.advance(now, Metered.allocated(seen)))
                .orElseGet(() -> Metered.from(now));
        snapshots.save(name, snapshot(now, decision, seen, latest, applied, failed, drained)
                .withForecast(ScalingSnapshot.Forecast.of(forecast, now, FORECAST_HOURS)).withMetered(metered));
        return new Outcome.Evaluated(name, decision, applied, failed);
    }

    /**
     * Notes what the agents report in the pool's history (one row written) and forecasts from it. The history
     * only sharpens the decision: when its table fails, the pool is scaled on what is seen, with a warning.
     */
    private DemandForecast learn(PoolName name, ScalingConfig config, Map<String, UsageReport> latest,
                                 int wakeSeats, Instant now, List<String> warnings) {
        try {
            DemandHistory history = histories.find(name, config.schedule() == null ? ZoneOffset.UTC
                    : config.schedule().zone());
            histories.save(name, history.observe(now, latest, wakeSeats));
            return DemandForecast.of(history, config.schedule(), now);
        } catch (RuntimeException e) {
            String why = e instanceof DemandHistories.UnavailableException unavailable ? unavailable.getMessage()
                    : "the demand history could not be used (" + e.getClass().getSimpleName() + ")";
            warnings.add(why + "; until it can, the pool is scaled on what is seen now, without its forecast");
            return DemandForecast.NONE;
        }
    }

    /** Which instances the last evaluation left draining, and since when: the scaler's own record of it. */
    private static Map<String, Instant> draining(Optional<ScalingSnapshot> last) {
        Map<String, Instant> drained = new HashMap<>();
        last.ifPresent(snapshot -> snapshot.instances().stream().filter(i -> i.drainingSince() != null)
                .forEach(i -> drained.put(i.id(), i.drainingSince())));
        return drained;
    }

    /**
     * A drain ends when its instance stops: the snapshot keeps drains of running instances only, so a start puts
     * the instance back in rotation, as its agent does (it ignores a drain older than its boot).
     */
    private static boolean isDraining(Instance instance, Instant since) {
        return since != null && instance.power() == PowerState.Running;
    }

    private static Map<String, Instant> afterApplying(ScalingAction action, Map<String, Instant> drained) {
        Map<String, Instant> next = new HashMap<>(drained);
        if (action instanceof ScalingAction.Drain drain) {
            if (drain.drain()) {
                next.put(drain.instanceId(), drain.at());
            } else {
                next.remove(drain.instanceId());
            }
        } else if (action instanceof ScalingAction.Deallocate deallocate) {
            deallocate.instanceIds().forEach(next::remove);
        } else if (action instanceof ScalingAction.Delete delete) {
            delete.instanceIds().forEach(next::remove);
        }
        return next;
    }

    private static ScalingSnapshot snapshot(Instant now, ScalingDecision decision, List<Instance> seen,
                                            Map<String, UsageReport> latest, List<String> applied,
                                            List<String> failed, Map<String, Instant> drained) {
        List<ScalingSnapshot.InstanceState> states = new ArrayList<>();
        for (Instance instance : seen) {
            UsageReport report = latest.get(instance.id());
            List<String> users = report == null || instance.power() != PowerState.Running ? List.of()
                    : report.sessions().stream().map(UsageReport.Session::user).distinct().sorted().toList();
            Instant drainingSince = instance.power() == PowerState.Running ? drained.get(instance.id()) : null;
            states.add(new ScalingSnapshot.InstanceState(instance.id(), instance.power(),
                    instance.protectedFromScaleIn(), users, drainingSince));
        }
        List<String> actions = new ArrayList<>(applied);
        actions.addAll(failed);
        return new ScalingSnapshot(now, decision.summary(), states, actions, decision.warnings());
    }

    /** One event per action and warning, on the pool's history; a write lost to another writer is redone. */
    private void record(PoolName name, List<String> applied, List<String> failed, List<String> warnings) {
        record Entry(PoolEvent.Kind kind, String reason) {
        }
        List<Entry> events = new ArrayList<>();
        applied.forEach(reason -> events.add(new Entry(PoolEvent.Kind.action, reason)));
        failed.forEach(reason -> events.add(new Entry(PoolEvent.Kind.failure, reason)));
        warnings.forEach(warning -> events.add(new Entry(PoolEvent.Kind.warning, warning)));
        if (events.isEmpty()) {
            return;
        }
        try {
            PoolUpdate.apply(repository, name, found -> {
                if (found.isEmpty()) {
                    return PoolUpdate.answer(false);
                }
                Pool noted = found.get().pool();
                for (Entry event : events) {
                    noted = noted.note(PoolEvent.Source.scaler, event.kind(), event.reason(), clock.instant());
                }
                return PoolUpdate.write(noted, written -> true);
            });
        } catch (PoolRepository.StaleRecordException busyPool) {
            // The history is a courtesy; the snapshot keeps what this evaluation did.
        }
    }
}
