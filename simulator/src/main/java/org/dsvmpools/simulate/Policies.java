package org.dsvmpools.simulate;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.dsvmpools.scaling.DemandForecast;
import org.dsvmpools.scaling.DemandHistory;
import org.dsvmpools.scaling.PowerState;
import org.dsvmpools.scaling.ScalingAction;
import org.dsvmpools.scaling.ScalingConfig;
import org.dsvmpools.scaling.ScalingPolicy;
import org.dsvmpools.scaling.UsageReport;

/** The policies the simulator compares, by name. */
final class Policies {
    static final List<String> NAMES = List.of("dsvmpools", "reactive", "always-on", "schedule", "cpu-autoscale", "avd",
            "oracle");

    private Policies() {
    }

    /** The oracle is computed from the trace, not simulated; every other name gives a policy. */
    static SimPolicy of(String name, ScalingConfig config) {
        return of(name, config, List.of());
    }

    /** @param wakes wake calls made during the trace: only our policy has a wake API, the others ignore them */
    static SimPolicy of(String name, ScalingConfig config, List<WakeCall> wakes) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "dsvmpools" -> new Dsvmpools(config, wakes, true);
            case "reactive" -> new Dsvmpools(config, wakes, false);
            case "always-on" -> new AlwaysOn(config);
            case "schedule" -> new ScheduleOnly(config);
            case "cpu-autoscale" -> new CpuAutoscale(config);
            case "avd" -> new AvdScalingPlan(config);
            default -> throw new IllegalArgumentException("unknown policy '" + name + "'; known: " + NAMES);
        };
    }

    /** {@code POST /api/pools/{name}/wake} at a time, for a number of seats. */
    record WakeCall(Instant at, int seats) {
        static WakeCall parse(String value) {
            int equals = value.lastIndexOf('=');
            try {
                return new WakeCall(OffsetDateTime.parse(value.substring(0, equals)).toInstant(),
                        Integer.parseInt(value.substring(equals + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--wake takes TIME=SEATS, such as 2026-11-04T13:55:00+01:00=32");
            }
        }
    }

    /**
     * Ours: the production decide, fed the agents' reports. Waiting users act as the wake call, and so do the
     * wake calls given, each once, at its time. As {@code reactive}, without the forecast: the policy as it was
     * before it learnt from history, kept as the baseline.
     */
    static final class Dsvmpools implements SimPolicy {
        private final ScalingConfig config;
        private final Deque<WakeCall> wakes;
        /** Learnt during the replay, from what the scaler would have seen until then: nothing of the future. */
        private final DemandHistory history;
        private final boolean learns;
        private DemandForecast forecast = DemandForecast.NONE;

        Dsvmpools(ScalingConfig config, List<WakeCall> wakes, boolean learns) {
            this.config = config;
            this.learns = learns;
            this.history = new DemandHistory(config.schedule() == null ? ZoneOffset.UTC : config.schedule().zone());
            this.wakes = new ArrayDeque<>(wakes.stream().sorted(java.util.Comparator.comparing(WakeCall::at))
                    .toList());
        }

        public String name() {
            return learns ? "dsvmpools" : "reactive";
        }

        public List<ScalingAction> decide(SimulatedPool pool, int waiting, Instant now, boolean tick) {
            int wakeSeats = waiting;
            while (!wakes.isEmpty() && !wakes.peekFirst().at().isAfter(now)) {
                wakeSeats = Math.max(wakeSeats, wakes.removeFirst().seats());
            }
            Map<String, UsageReport> reports = pool.reports(now);
            if (tick) {
                history.observe(now, reports, waiting);
            }
            forecast = learns ? DemandForecast.of(history, config.schedule(), now) : DemandForecast.NONE;
            return ScalingPolicy.decide(config, pool.instances(), reports, now, wakeSeats, forecast).actions();
        }

        @Override
        public Optional<Integer> forecastUsers(Instant now) {
            return forecast.peakBetween(now, now.plus(DemandHistory.SLOT));
        }
    }

    /** Always at max: nobody ever waits after the first start, and every hour is paid. */
    record AlwaysOn(ScalingConfig config) implements SimPolicy {
        public String name() {
            return "always-on";
        }

        public List<ScalingAction> decide(SimulatedPool pool, int waiting, Instant now, boolean tick) {
            return toCount(pool, config.max(), "always on");
        }
    }

    /** Max instances in work hours, none outside: the simplest schedule, which stops VMs people still use. */
    record ScheduleOnly(ScalingConfig config) implements SimPolicy {
        public String name() {
            return "schedule";
        }

        public List<ScalingAction> decide(SimulatedPool pool, int waiting, Instant now, boolean tick) {
            if (!tick) {
                return List.of();
            }
            boolean work = config.schedule() != null && config.schedule().isWorkTime(now);
            return toCount(pool, work ? config.max() : 0, work ? "work hours" : "outside work hours");
        }
    }

    /**
     * Azure Monitor autoscale on average CPU: +1 when above 75% over 5 minutes, -1 below 25%, 5-minute cooldown,
     * at least 1 instance (at zero there is no CPU metric to scale out on). Scale-in removes the highest
     * instance id, as the scale set's default scale-in policy does, whoever works on it.
     */
    static final class CpuAutoscale implements SimPolicy {
        private final ScalingConfig config;
        private final Deque<Double> window = new ArrayDeque<>();
        private Instant quietUntil = Instant.MIN;

        CpuAutoscale(ScalingConfig config) {
            this.config = config;
        }

        public String name() {
            return "cpu-autoscale";
        }

        public List<ScalingAction> decide(SimulatedPool pool, int waiting, Instant now, boolean tick) {
            int min = Math.max(1, config.min());
            if (!tick) {
                return List.of();
            }
            List<SimulatedPool.Vm> running = pool.running();
            if (pool.total() < min) {
                return List.of(new ScalingAction.Create(min - pool.total(), "autoscale minimum"));
            }
            if (!running.isEmpty()) {
                window.addLast(running.stream().mapToDouble(pool::cpu).average().orElse(0));
                if (window.size() > 5) {
                    window.removeFirst();
                }
            }
            if (window.size() < 5 || now.isBefore(quietUntil)) {
                return List.of();
            }
            double average = window.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            if (average > 75 && pool.total() < config.max()) {
                quietUntil = now.plus(Duration.ofMinutes(5));
                return List.of(new ScalingAction.Create(1, "CPU " + Math.round(average) + "% > 75%"));
            }
            if (average < 25 && pool.total() > min) {
                quietUntil = now.plus(Duration.ofMinutes(5));
                String highest = pool.all().stream().filter(vm -> !vm.deleting).reduce((a, b) -> b).orElseThrow().id;
                return List.of(new ScalingAction.Delete(List.of(highest), "CPU " + Math.round(average) + "% < 25%"));
            }
            return List.of();
        }
    }

    /**
     * An Azure Virtual Desktop pooled scaling plan on work days: ramp-up 07:00 (20% of hosts minimum, 60%
     * capacity threshold, breadth-first), peak 09:00 (80%, breadth-first), ramp-down 17:00 (10% minimum, 90%,
     * depth-first), off-peak 19:00 (90%, depth-first); weekends and holidays off-peak all day. Used capacity is
     * sessions / (seats per host x running hosts). It starts hosts while used capacity is above the threshold,
     * stops a host only if it has no sessions and stopping it keeps used capacity at or below the threshold, and
     * Start VM on Connect starts one host when a user arrives and none runs. It only starts and stops hosts, so
     * the pool's {@code max} hosts exist from the start, deallocated.
     */
    static final class AvdScalingPlan implements SimPolicy {
        /** Every AVD user connects through its gateway, which starts a host on connect. */
        @Override
        public boolean ownsTheDoor() {
            return true;
        }

        private final ScalingConfig config;

        AvdScalingPlan(ScalingConfig config) {
            this.config = config;
        }

        public String name() {
            return "avd";
        }

        @Override
        public void prepare(SimulatedPool pool) {
            pool.provisionDeallocated(config.max());
        }

        private record Phase(String name, int minimumPercent, int threshold, SimulatedPool.Placement placement) {
        }

        private Phase phase(Instant now) {
            ZonedDateTime local = now.atZone(config.schedule().zone());
            boolean workDay = config.schedule().days().contains(local.getDayOfWeek())
                    && !config.schedule().holidays().contains(local.toLocalDate());
            LocalTime time = local.toLocalTime();
            if (!workDay || time.isBefore(LocalTime.of(7, 0)) || !time.isBefore(LocalTime.of(19, 0))) {
                return new Phase("off-peak", 0, 90, SimulatedPool.Placement.DEPTH_FIRST);
            }
            if (time.isBefore(LocalTime.of(9, 0))) {
                return new Phase("ramp-up", 20, 60, SimulatedPool.Placement.BREADTH_FIRST);
            }
            if (time.isBefore(LocalTime.of(17, 0))) {
                return new Phase("peak", 0, 80, SimulatedPool.Placement.BREADTH_FIRST);
            }
            return new Phase("ramp-down", 10, 90, SimulatedPool.Placement.DEPTH_FIRST);
        }

        public List<ScalingAction> decide(SimulatedPool pool, int waiting, Instant now, boolean tick) {
            Phase phase = phase(now);
            pool.placement = phase.placement();
            List<SimulatedPool.Vm> all = pool.all();
            long up = all.stream().filter(vm -> vm.power == PowerState.Running || vm.power == PowerState.Starting)
                    .count();
            if (!tick) {
                return up == 0 && waiting > 0 ? start(all, 1, "Start VM on Connect") : List.of();
            }
            int sessions = pool.activeUsers() + waiting;
            int seats = pool.usersPerInstance();
            int minimum = (int) Math.ceil(config.max() * phase.minimumPercent() / 100.0);
            int needed = (int) Math.max(minimum, Math.ceil(sessions * 100.0 / (seats * phase.threshold())));
            if (up < needed) {
                return start(all, (int) (needed - up), phase.name() + ": used capacity above "
                        + phase.threshold() + "% or below the minimum hosts");
            }
            List<ScalingAction> actions = new ArrayList<>();
            long remaining = up;
            for (SimulatedPool.Vm vm : pool.running()) {
                boolean keepsThreshold = remaining - 1 > 0
                        && sessions * 100.0 / (seats * (remaining - 1)) <= phase.threshold();
                if (vm.seated.isEmpty() && remaining > minimum && (keepsThreshold || sessions == 0)) {
                    actions.add(new ScalingAction.Deallocate(List.of(vm.id), phase.name() + ": empty host"));
                    remaining--;
                }
            }
            return actions;
        }

        private static List<ScalingAction> start(List<SimulatedPool.Vm> all, int count, String reason) {
            List<String> ids = all.stream().filter(vm -> vm.power == PowerState.Deallocated).map(vm -> vm.id)
                    .limit(count).toList();
            return ids.isEmpty() ? List.of() : List.of(new ScalingAction.Start(ids, reason));
        }
    }

    /** Brings the pool to {@code count} instances up: starting deallocated ones first, stopping the highest. */
    private static List<ScalingAction> toCount(SimulatedPool pool, int count, String reason) {
        List<SimulatedPool.Vm> all = pool.all().stream().filter(vm -> !vm.deleting).toList();
        long up = all.stream().filter(vm -> vm.power.ordinal() <= PowerState.Running.ordinal()).count();
        if (up < count) {
            List<String> start = all.stream().filter(vm -> vm.power == PowerState.Deallocated).map(vm -> vm.id)
                    .limit(count - up).toList();
            List<ScalingAction> actions = new ArrayList<>();
            if (!start.isEmpty()) {
                actions.add(new ScalingAction.Start(start, reason));
            }
            int create = (int) (count - up - start.size());
            if (create > 0) {
                actions.add(new ScalingAction.Create(create, reason));
            }
            return actions;
        }
        if (up > count) {
            List<String> stop = all.stream().filter(vm -> vm.power == PowerState.Running)
                    .map(vm -> vm.id).sorted((a, b) -> Integer.compare(Integer.parseInt(b), Integer.parseInt(a)))
                    .limit(up - count).toList();
            return stop.isEmpty() ? List.of() : List.of(new ScalingAction.Deallocate(stop, reason));
        }
        return List.of();
    }
}
