package org.dsvmpools.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scaler's decision, as a pure function of the pool's rules, its instances, their agents' reports and the
 * time: no I/O, so the timer, the simulator and the tests run the same code.
 *
 * <ul>
 *   <li>Serving instances are those up or coming and not draining: new sessions land only on them. Their target
 *       is enough seats for the users on them, plus a headroom of free seats in work hours (or the free seats a
 *       wake asked for, if more), at least the floor ({@code min}, or {@code minDuringWork} in work hours, which begin one instance
 *       start early), and at most {@code max} with the draining ones.</li>
 *   <li>Scale out: take back a draining instance first (it is running already), then start deallocated instances
 *       (a start takes about 90 s, a new instance about 240 s), then create.</li>
 *   <li>With a {@link DemandForecast}: the free seats cover the sessions expected to begin before new capacity
 *       could be ready (a start, or a create when no instance is deallocated, plus one tick), even outside work
 *       hours, so that a morning's first users find seats; and the standby count grows to the instances the
 *       forecast's peak of the next day needs, so that mornings start instances instead of creating them.</li>
 *   <li>Scale in: instances idle for the idle timeout, most idle first; deallocated up to the standby count,
 *       deleted beyond it. A busy instance is never stopped, and is protected from scale-in while busy. When
 *       the surplus is busy, the least-used instance is drained instead, one per evaluation: it gets no new
 *       sessions, and goes as soon as its last user has left.</li>
 * </ul>
 */
public final class ScalingPolicy {
    /** Work hours begin this much early, so the floor's instances have started (about 90 s) when people come. */
    static final Duration WARM_UP = Duration.ofMinutes(2);
    /** How long new capacity takes to serve: a start from deallocated, a create, and the tick before either. */
    static final Duration START = Duration.ofSeconds(90);
    static final Duration CREATE = Duration.ofSeconds(240);
    static final Duration TICK = Duration.ofMinutes(1);
    /** How far ahead the standby is sized: the next day's peak, whatever the hour now. */
    static final Duration STANDBY_HORIZON = Duration.ofHours(24);

    private ScalingPolicy() {
    }

    /** @param wakeSeats free seats someone asked for through wake (0 when nobody did) */
    public static ScalingDecision decide(ScalingConfig config, List<Instance> unordered,
                                         Map<String, UsageReport> reports, Instant now, int wakeSeats) {
        return decide(config, unordered, reports, now, wakeSeats, DemandForecast.NONE);
    }

    /** @param forecast what the pool's history expects ({@link DemandForecast#NONE}: decide on what is seen) */
    public static ScalingDecision decide(ScalingConfig config, List<Instance> unordered,
                                         Map<String, UsageReport> reports, Instant now, int wakeSeats,
                                         DemandForecast forecast) {
        List<Instance> instances = sorted(unordered);
        Map<String, Activity> activity = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (Instance instance : instances) {
            if (instance.power() == PowerState.Running) {
                Activity judged = Activity.of(instance, reports.get(instance.id()), config, now);
                activity.put(instance.id(), judged);
                if (judged.warning() != null) {
                    warnings.add(judged.warning());
                }
            }
        }
        Set<String> users = new TreeSet<>();
        activity.values().forEach(a -> users.addAll(a.users()));
        boolean workTime = config.schedule() != null && (config.schedule().isWorkTime(now)
                || config.schedule().isWorkTime(now.plus(WARM_UP)));
        Expected expected = Expected.of(config, instances, forecast, now);
        int reactive = Headroom.seats(config, workTime, instances, reports, now);
        // Where the history speaks for this moment, it sizes the headroom (at least one seat in work hours):
        // it knows a ramp before the first login shows it, and a quiet hour for one despite a burst before it.
        int headroom = expected.arrivals().map(seats -> Math.max(workTime ? 1 : 0, seats)).orElse(reactive);
        Pool pool = new Pool(config, instances, activity, now, headroom, expected.standby());
        int target = pool.servingTarget(workTime, wakeSeats);

        List<ScalingAction> actions = new ArrayList<>();
        String why = users.size() + " active user(s), " + (workTime ? "work hours" : "outside work hours")
                + ", target " + target + " serving instance(s)" + expected.arrivals()
                .filter(seats -> seats > 0 && seats >= wakeSeats).map(seats -> ", forecast: " + seats
                        + " seat(s) for sessions expected to begin within " + expected.lookahead().toSeconds() + " s")
                .orElse("");
        List<String> drainedEmpty = pool.drainedAndEmpty();
        int serving = pool.serving().size();
        if (serving < target) {
            scaleOut(pool, target - serving, why, actions);
        } else if (serving > target) {
            List<String> idle = pool.idlePastTimeout(serving - target);
            remove(pool, idle, drainedEmpty, why, actions);
            drain(pool, target, wakeSeats, why, actions);
        } else {
            remove(pool, List.of(), drainedEmpty, why, actions);
        }
        protect(instances, activity, actions);
        return new ScalingDecision(actions, warnings, users.size(), target, why);
    }

    /**
     * What the forecast adds: free seats for the sessions expected before new capacity could serve them (empty
     * where the history says nothing of this time), and the standby count for the next day's peak (never below
     * the pool's own, never above {@code max}).
     */
    private record Expected(Optional<Integer> arrivals, Duration lookahead, int standby) {
        static Expected of(ScalingConfig config, List<Instance> instances, DemandForecast forecast, Instant now) {
            if (forecast.isEmpty()) {
                return new Expected(Optional.empty(), Duration.ZERO, config.standby());
            }
            boolean startable = instances.stream().anyMatch(i -> i.power() == PowerState.Deallocated);
            Duration lookahead = (startable ? START : CREATE).plus(TICK);
            Optional<Integer> arrivals = forecast.arrivalsBetween(now, now.plus(lookahead))
                    .map(ScalingPolicy::seatsFor);
            int peak = forecast.peakBetween(now, now.plus(STANDBY_HORIZON)).orElse(0);
            int forPeak = Math.min(config.max(), (peak + config.usersPerInstance() - 1) / config.usersPerInstance());
            return new Expected(arrivals, lookahead, Math.max(config.standby(), forPeak));
        }
    }

    /** How many standard deviations above the expected arrivals the free seats reach: 95% of busy minutes. */
    static final double ARRIVAL_MARGIN = 1.645;

    /**
     * Seats for {@code expected} arrivals: people arrive independently of each other, so the count in a short
     * window is Poisson; its mean plus {@link #ARRIVAL_MARGIN} standard deviations covers most windows.
     */
    static int seatsFor(double expected) {
        return expected <= 0 ? 0 : (int) Math.ceil(expected + ARRIVAL_MARGIN * Math.sqrt(expected) - 1e-9);
    }

    /** The instances and their activity, with the counts the rules need. */
    private record Pool(ScalingConfig config, List<Instance> instances, Map<String, Activity> activity,
                        Instant now, int headroom, int standby) {
        List<Instance> serving() {
            return instances.stream().filter(i -> i.power().isUpOrComing() && !i.draining()).toList();
        }

        List<Instance> draining() {
            return instances.stream().filter(i -> i.power().isUpOrComing() && i.draining()).toList();
        }

        int usersOn(Instance instance) {
            Activity judged = activity.get(instance.id());
            return judged == null ? 0 : judged.users().size();
        }

        boolean busy(Instance instance) {
            Activity judged = activity.get(instance.id());
            return judged != null && judged.busy();
        }

        int servingTarget(boolean workTime, int wakeSeats) {
            int onServing = serving().stream().mapToInt(this::usersOn).sum();
            int seats = onServing + Math.max(headroom, wakeSeats);
            int forSeats = (seats + config.usersPerInstance() - 1) / config.usersPerInstance();
            int floor = workTime ? Math.max(config.min(), config.minDuringWork()) : config.min();
            return Math.max(0, Math.min(config.max() - draining().size(), Math.max(floor, forSeats)));
        }

        /** Serving instances idle for the idle timeout, most idle first. */
        List<String> idlePastTimeout(int limit) {
            return serving().stream().filter(i -> activity.containsKey(i.id()) && !busy(i)
                            && !Duration.between(activity.get(i.id()).idleSince(), now).minus(config.idleTimeout())
                            .isNegative())
                    .sorted(Comparator.comparing((Instance i) -> activity.get(i.id()).idleSince())
                            .thenComparing(Instance::id))
                    .map(Instance::id).limit(limit).toList();
        }

        /** Draining instances whose last user has left: nothing keeps them, not even the idle timeout. */
        List<String> drainedAndEmpty() {
            return draining().stream().filter(i -> activity.containsKey(i.id()) && !busy(i)).map(Instance::id)
                    .toList();
        }
    }

    private static void scaleOut(Pool pool, int missing, String why, List<ScalingAction> actions) {
        List<Instance> reclaimable = pool.draining().stream()
                .sorted(Comparator.comparingInt(pool::usersOn).reversed()).limit(missing).toList();
        for (Instance instance : reclaimable) {
            actions.add(new ScalingAction.Drain(instance.id(), false, pool.now(), why + ": taking back draining instance "
                    + instance.id() + ", already running"));
        }
        int stillMissing = missing - reclaimable.size();
        List<String> startable = pool.instances().stream().filter(i -> i.power() == PowerState.Deallocated)
                .map(Instance::id).limit(stillMissing).toList();
        if (!startable.isEmpty()) {
            actions.add(new ScalingAction.Start(startable, why + ": starting " + startable.size()
                    + " deallocated instance(s), faster than new ones"));
        }
        int toCreate = Math.min(stillMissing - startable.size(), pool.config().max() - pool.instances().size());
        if (toCreate > 0) {
            actions.add(new ScalingAction.Create(toCreate, why + ": creating " + toCreate + " instance(s)"));
        }
    }

    /** Idle serving instances and emptied draining ones: deallocated up to the standby count, deleted beyond. */
    private static void remove(Pool pool, List<String> idle, List<String> drainedEmpty, String why,
                               List<ScalingAction> actions) {
        if (idle.isEmpty() && drainedEmpty.isEmpty()) {
            return;
        }
        List<String> removable = new ArrayList<>(drainedEmpty);
        removable.addAll(idle);
        long standing = pool.instances().stream().filter(i -> i.power() == PowerState.Deallocated
                || i.power() == PowerState.Deallocating).count();
        int room = (int) Math.max(0, pool.standby() - standing);
        List<String> deallocate = removable.subList(0, Math.min(room, removable.size()));
        List<String> delete = removable.subList(deallocate.size(), removable.size());
        String reason = (drainedEmpty.isEmpty() ? "" : "drained and empty: " + drainedEmpty)
                + (drainedEmpty.isEmpty() || idle.isEmpty() ? "" : "; ")
                + (idle.isEmpty() ? "" : "idle for " + pool.config().idleTimeout().toMinutes() + " min or more: "
                + idle);
        if (!deallocate.isEmpty()) {
            actions.add(new ScalingAction.Deallocate(deallocate, why + ": deallocating " + deallocate + " ("
                    + reason + "), kept as standby" + (pool.standby() > pool.config().standby()
                    ? " (" + pool.standby() + ", for the forecast's peak of the next day)" : "")));
        }
        if (!delete.isEmpty()) {
            actions.add(new ScalingAction.Delete(delete, why + ": deleting " + delete + " (" + reason
                    + "), standby full (" + pool.standby() + ")"));
        }
    }

    /**
     * Consolidation: a surplus that is busy cannot be stopped, but its least-used instance can stop taking new
     * sessions, so that it empties. One per evaluation, and only while the other serving instances keep the
     * headroom free.
     */
    private static void drain(Pool pool, int target, int wakeSeats, String why,
                              List<ScalingAction> actions) {
        List<Instance> serving = pool.serving();
        // Idle and coming instances are not drained: the first go by the idle timeout, the others are needed.
        List<Instance> inUse = serving.stream().filter(i -> i.power() == PowerState.Running && pool.busy(i)
                && pool.usersOn(i) > 0).toList();
        if (inUse.size() <= target) {
            return;
        }
        int free = serving.stream().mapToInt(i -> pool.config().usersPerInstance() - pool.usersOn(i)).sum();
        int needFree = Math.max(pool.headroom(), wakeSeats);
        inUse.stream().min(Comparator.comparingInt(pool::usersOn).thenComparing(Instance::id))
                .filter(least -> free - (pool.config().usersPerInstance() - pool.usersOn(least)) >= needFree)
                .ifPresent(least -> actions.add(new ScalingAction.Drain(least.id(), true, pool.now(), why + ": draining "
                        + least.id() + " (" + pool.usersOn(least) + " user(s)): no new sessions, "
                        + "deallocated once they have left")));
    }

    /** Busy instances are protected from scale-in; idle ones are released so that a scale-in may take them. */
    private static void protect(List<Instance> instances, Map<String, Activity> activity,
                                List<ScalingAction> actions) {
        for (Instance instance : instances) {
            Activity judged = activity.get(instance.id());
            if (judged == null) {
                continue;
            }
            if (judged.busy() && !instance.protectedFromScaleIn()) {
                actions.add(new ScalingAction.Protect(instance.id(), true, "instance " + instance.id()
                        + " is in use" + (judged.users().isEmpty() ? "" : " by " + judged.users())));
            } else if (!judged.busy() && instance.protectedFromScaleIn()) {
                actions.add(new ScalingAction.Protect(instance.id(), false, "instance " + instance.id()
                        + " is idle"));
            }
        }
    }

    /** Instances in id order (numerically, as scale sets number them), so decisions are deterministic. */
    private static List<Instance> sorted(List<Instance> instances) {
        return instances.stream().sorted(Comparator.comparingLong(ScalingPolicy::number)
                .thenComparing(Instance::id)).toList();
    }

    private static long number(Instance instance) {
        try {
            return Long.parseLong(instance.id());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
