package org.dsvmpools.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scaler's decision, as a pure function of the pool's rules, its instances, their agents' reports and the
 * time: no I/O, so the timer, the simulator and the tests run the same code.
 *
 * <ul>
 *   <li>Target: enough instances for the active users, plus a headroom of seats in work hours, at least the floor ({@code min}, or {@code minDuringWork} in work hours, which begin
 *       one instance start early), at most {@code max}, and never fewer than the busy instances.</li>
 *   <li>Scale out: start deallocated instances first (a start takes about 90 s, a new instance about 240 s), then
 *       create.</li>
 *   <li>Scale in: only instances idle for the idle timeout, most idle first; deallocated up to the standby
 *       count, deleted beyond it. A busy instance is never stopped, and is protected from scale-in while busy.</li>
 * </ul>
 */
public final class ScalingPolicy {
    /** Work hours begin this much early, so the floor's instances have started (about 90 s) when people come. */
    static final Duration WARM_UP = Duration.ofMinutes(2);

    private ScalingPolicy() {
    }

    /** @param wakeSeats seats someone asked for through wake (0 when nobody did) */
    public static ScalingDecision decide(ScalingConfig config, List<Instance> unordered,
                                         Map<String, UsageReport> reports, Instant now, int wakeSeats) {
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
        long busy = activity.values().stream().filter(Activity::busy).count();
        boolean workTime = config.schedule() != null && (config.schedule().isWorkTime(now)
                || config.schedule().isWorkTime(now.plus(WARM_UP)));
        int target = target(config, users.size(), (int) busy, workTime, wakeSeats);

        List<ScalingAction> actions = new ArrayList<>();
        long up = instances.stream().filter(i -> i.power().isUpOrComing()).count();
        String why = users.size() + " active user(s), " + (workTime ? "work hours" : "outside work hours")
                + ", target " + target + " instance(s)";
        if (up < target) {
            scaleOut(config, instances, target - (int) up, why, actions);
        } else if (up > target) {
            scaleIn(config, instances, activity, (int) up - target, now, why, actions);
        }
        protect(instances, activity, actions);
        return new ScalingDecision(actions, warnings, users.size(), target, why);
    }

    private static int target(ScalingConfig config, int activeUsers, int busyInstances, boolean workTime,
                              int wakeSeats) {
        // Spare seats only in work hours: at night one user does not need a second VM waiting beside them.
        int seats = workTime ? activeUsers + config.seatHeadroom() : activeUsers;
        seats = Math.max(seats, wakeSeats);
        int forSeats = (seats + config.usersPerInstance() - 1) / config.usersPerInstance();
        int floor = workTime ? Math.max(config.min(), config.minDuringWork()) : config.min();
        return Math.min(config.max(), Math.max(Math.max(floor, forSeats), busyInstances));
    }

    private static void scaleOut(ScalingConfig config, List<Instance> instances, int missing, String why,
                                 List<ScalingAction> actions) {
        List<String> startable = instances.stream().filter(i -> i.power() == PowerState.Deallocated)
                .map(Instance::id).limit(missing).toList();
        if (!startable.isEmpty()) {
            actions.add(new ScalingAction.Start(startable, why + ": starting " + startable.size()
                    + " deallocated instance(s), faster than new ones"));
        }
        int toCreate = Math.min(missing - startable.size(), config.max() - instances.size());
        if (toCreate > 0) {
            actions.add(new ScalingAction.Create(toCreate, why + ": creating " + toCreate + " instance(s)"));
        }
    }

    private static void scaleIn(ScalingConfig config, List<Instance> instances, Map<String, Activity> activity,
                                int surplus, Instant now, String why, List<ScalingAction> actions) {
        List<String> removable = activity.entrySet().stream()
                .filter(e -> !e.getValue().busy()
                        && !Duration.between(e.getValue().idleSince(), now).minus(config.idleTimeout()).isNegative())
                .sorted(Comparator.comparing((Map.Entry<String, Activity> e) -> e.getValue().idleSince())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).limit(surplus).toList();
        if (removable.isEmpty()) {
            return;
        }
        long standing = instances.stream().filter(i -> i.power() == PowerState.Deallocated
                || i.power() == PowerState.Deallocating).count();
        int room = (int) Math.max(0, config.standby() - standing);
        List<String> deallocate = removable.subList(0, Math.min(room, removable.size()));
        List<String> delete = removable.subList(deallocate.size(), removable.size());
        String idle = "idle for " + config.idleTimeout().toMinutes() + " min or more";
        if (!deallocate.isEmpty()) {
            actions.add(new ScalingAction.Deallocate(deallocate, why + ": deallocating " + deallocate + ", " + idle
                    + ", kept as standby"));
        }
        if (!delete.isEmpty()) {
            actions.add(new ScalingAction.Delete(delete, why + ": deleting " + delete + ", " + idle
                    + ", standby full (" + config.standby() + ")"));
        }
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
