package org.dsvmpools.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.dsvmpools.scaling.DemandForecast;
import org.dsvmpools.scaling.DemandHistory;
import org.dsvmpools.scaling.Instance;
import org.dsvmpools.scaling.PowerState;
import org.dsvmpools.scaling.ScalingConfig;
import org.dsvmpools.scaling.ScalingConfigs;
import org.dsvmpools.scaling.ScalingPolicy;
import org.dsvmpools.scaling.UsageReport;
import org.dsvmpools.testing.PoolDocumentsFixture;

/**
 * The scaler's own cost: CPU time to decide for 1,000 pools of 10 instances each (mixed power states, 0-4 users
 * per running instance), median of 20 rounds after warm-up, without the forecast (the baseline) and with it (each
 * pool with eight weeks of history: the observation, the forecast and the decision). The goal is under 200 ms.
 * Part of {@code mvn -Pbench verify}; numbers are printed, not asserted.
 */
public final class ScalingBenchmark {
    private static final int POOLS = 1_000;
    private static final int INSTANCES = 10;

    private ScalingBenchmark() {
    }

    private record PoolState(List<Instance> instances, Map<String, UsageReport> reports, DemandHistory history) {
    }

    public static void main(String[] args) {
        ScalingConfig config = ScalingConfigs.of(PoolDocumentsFixture.spec("ml-team"));
        Instant now = Instant.parse("2026-11-25T10:00:00Z");
        List<PoolState> pools = pools(new Random(1), now);
        for (boolean learn : new boolean[] {false, true}) {
            measure(config, pools, now, learn);
        }
    }

    private static void measure(ScalingConfig config, List<PoolState> pools, Instant now, boolean learn) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        for (int warmup = 0; warmup < 10; warmup++) {
            decideAll(config, pools, now, learn);
        }
        List<Double> rounds = new ArrayList<>();
        int actions = 0;
        for (int round = 0; round < 20; round++) {
            long start = cpu.getCurrentThreadCpuTime();
            actions = decideAll(config, pools, now, learn);
            rounds.add((cpu.getCurrentThreadCpuTime() - start) / 1e6);
        }
        rounds.sort(Double::compare);
        System.out.printf(Locale.ROOT, "deciding for %d pools of %d instances, %s: median %.1f ms CPU (min %.1f,"
                + " max %.1f) over 20 rounds, %d actions per round; goal < 200 ms%n", POOLS, INSTANCES,
                learn ? "with the forecast from 8 weeks of history" : "without a forecast (baseline)",
                rounds.get(10), rounds.get(0), rounds.get(19), actions);
    }

    private static int decideAll(ScalingConfig config, List<PoolState> pools, Instant now, boolean learn) {
        int actions = 0;
        for (PoolState pool : pools) {
            DemandForecast forecast = DemandForecast.NONE;
            if (learn) {
                pool.history().observe(now, pool.reports(), 0);
                forecast = DemandForecast.of(pool.history(), config.schedule(), now);
            }
            actions += ScalingPolicy.decide(config, pool.instances(), pool.reports(), now, 0, forecast).actions()
                    .size();
        }
        return actions;
    }

    private static List<PoolState> pools(Random random, Instant now) {
        List<PoolState> pools = new ArrayList<>();
        PowerState[] states = PowerState.values();
        for (int p = 0; p < POOLS; p++) {
            List<Instance> instances = new ArrayList<>();
            Map<String, UsageReport> reports = new HashMap<>();
            for (int i = 0; i < INSTANCES; i++) {
                PowerState power = random.nextDouble() < 0.6 ? PowerState.Running : states[random.nextInt(states.length)];
                instances.add(new Instance("" + i, power, random.nextBoolean(), now.minus(Duration.ofHours(1))));
                if (power == PowerState.Running) {
                    List<UsageReport.Session> sessions = new ArrayList<>();
                    for (int u = random.nextInt(5); u > 0; u--) {
                        sessions.add(new UsageReport.Session("u" + p + "-" + i + "-" + u,
                                now.minus(Duration.ofMinutes(random.nextInt(60)))));
                    }
                    reports.put("" + i, new UsageReport("" + i, now.minusSeconds(30), sessions, List.of(), 40, null));
                }
            }
            pools.add(new PoolState(instances, reports, history(random, now)));
        }
        return pools;
    }

    /** Eight weeks of days, each slot with 0-20 users present and 0-8 sessions beginning. */
    private static DemandHistory history(Random random, Instant now) {
        List<DemandHistory.Day> days = new ArrayList<>();
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        for (int back = DemandHistory.WINDOW_DAYS - 1; back >= 1; back--) {
            int[] peaks = new int[DemandHistory.SLOTS_PER_DAY];
            int[] arrivals = new int[DemandHistory.SLOTS_PER_DAY];
            for (int slot = 0; slot < peaks.length; slot++) {
                peaks[slot] = random.nextInt(21);
                arrivals[slot] = random.nextInt(9);
            }
            days.add(new DemandHistory.Day(today.minusDays(back), peaks, arrivals));
        }
        return new DemandHistory(ZoneId.of("Europe/Berlin"), days);
    }
}
