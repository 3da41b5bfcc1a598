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
        record Skipped(PoolName pool, String reason) implements Outcome {
        }

        /** Another evaluation holds the pool's lease: it decides without what this one was asked to add. */
        record Busy(PoolName pool) implements Outcome {
        }

        record Evaluated(PoolName pool, ScalingDecision decision, List<String> applied, List<String> failed)
                implements Outcome {
        }
    }

    public List<Outcome> tick() {
        List<Outcome> outcomes = new ArrayList<>();
        String token = null;
        do {
            PoolPage page = repository.list(token, 100);
            for (Pool pool : page.pools()) {
                if (pool.status() == PoolStatus.Ready) {
                    outcomes.add(evaluate(pool.name(), 0));
                }
            }
            token = page.continuationToken();
        } while (token != null);
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
            Pool pool = found.get().pool();
            ScaleSetRef scaleSet = new ScaleSetRef(AzureNames.resourceGroupOf(pool.spec()),
                    AzureNames.of(pool.name()).scaleSet(), pool.spec().image());
            Map<String, Instant> lastDrained = draining(snapshots.find(name));
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
            record(name, applied, failed, decision.warnings());
            snapshots.save(name, snapshot(now, decision, seen, latest, applied, failed, drained)
                    .withForecast(ScalingSnapshot.Forecast.of(forecast, now, FORECAST_HOURS)));
            return new Outcome.Evaluated(name, decision, applied, failed);
        } finally {
            leases.release(name, holder);
        }
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
            warnings.add("demand history unavailable (" + e.getMessage() + "); scaled on what is seen");
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
        List<String> events = new ArrayList<>();
        applied.forEach(reason -> events.add("Scaler: " + reason));
        failed.forEach(reason -> events.add("Scaler: " + reason));
        warnings.forEach(warning -> events.add("Scaler warning: " + warning));
        if (events.isEmpty()) {
            return;
        }
        try {
            PoolUpdate.apply(repository, name, found -> {
                if (found.isEmpty()) {
                    return PoolUpdate.answer(false);
                }
                Pool noted = found.get().pool();
                for (String event : events) {
                    noted = noted.note(event, clock.instant());
                }
                return PoolUpdate.write(noted, written -> true);
            });
        } catch (PoolRepository.StaleRecordException busyPool) {
            // The history is a courtesy; the snapshot keeps what this evaluation did.
        }
    }
}
