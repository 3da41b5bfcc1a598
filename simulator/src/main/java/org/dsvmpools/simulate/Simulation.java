package org.dsvmpools.simulate;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleConsumer;
import org.dsvmpools.scaling.ScalingConfig;

/**
 * Replays a trace through a policy in 10-second steps, ticking the policy every minute as the scaler's timer
 * does, and measures cost and waits. Records a sample per tick of active users and running instances for
 * the plot.
 */
final class Simulation {
    static final Duration STEP = Duration.ofSeconds(10);
    static final Duration TICK = Duration.ofMinutes(1);

    /**
     * One sample per tick: simulated time, users seated or waiting, instances running, and the users the policy's
     * forecast expected (null when it has none).
     */
    record Sample(Instant time, int users, int running, Integer forecast) {
        Sample(Instant time, int users, int running) {
            this(time, users, running, null);
        }
    }

    record Run(SimulationResult result, List<Sample> samples) {
    }

    /** A user waiting for a seat since the step that saw them; through the front door, or at the pool's address. */
    private record Waiting(TraceSession session, Instant since, boolean frontDoor) {
    }

    /**
     * Everybody through the front door: the figures published before the arrival model (#29), and what a pool
     * whose users all start from the door or {@code dsvmpools connect} gets.
     */
    static final double ALL_THROUGH_THE_DOOR = 1.0;

    /** A session's wait, by when it began in the trace. */
    private record Wait(Instant start, double seconds) {
    }

    /** The 7-day spans from the trace's first day, UTC, with the instance-seconds billed in each. */
    private static final class Weeks {
        private final Instant first;
        private final List<Double> billed = new ArrayList<>();

        Weeks(List<TraceSession> trace) {
            this.first = trace.get(0).start().atZone(ZoneOffset.UTC).toLocalDate().atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        }

        int index(Instant at) {
            return (int) Math.max(0, Duration.between(first, at).toDays() / 7);
        }

        void bill(Instant at, double seconds) {
            int week = index(at);
            while (billed.size() <= week) {
                billed.add(0.0);
            }
            billed.set(week, billed.get(week) + seconds);
        }

        List<SimulationResult.Week> of(List<Wait> waits, double pricePerHour) {
            List<SimulationResult.Week> weeks = new ArrayList<>();
            for (int i = 0; i < billed.size(); i++) {
                int week = i;
                List<Double> sorted = waits.stream().filter(w -> index(w.start()) == week).map(Wait::seconds)
                        .sorted().toList();
                weeks.add(new SimulationResult.Week(first.plus(Duration.ofDays(7L * i)).atZone(ZoneOffset.UTC)
                        .toLocalDate(), sorted.size(), (int) sorted.stream().filter(w -> w > 0).count(),
                        percentile(sorted, 0.95), billed.get(i) / 3600 * pricePerHour, 0));
            }
            return weeks;
        }
    }

    private Simulation() {
    }

    static Run run(List<TraceSession> trace, ScalingConfig config, SimPolicy policy, double pricePerHour,
                   DoubleConsumer progress) {
        return run(trace, config, policy, pricePerHour, ALL_THROUGH_THE_DOOR, progress);
    }

    /**
     * As users really arrive: a share {@code frontDoor} of the sessions (chosen by a hash of user and start, so a
     * run is repeatable) come through the front door, which wakes the pool at once. The others go straight to the
     * pool's address: their agent reports them only once an instance answers there, so while none runs (at zero,
     * or every instance still starting) the policy does not see them and they wait until it starts one by itself.
     */
    static Run run(List<TraceSession> trace, ScalingConfig config, SimPolicy policy, double pricePerHour,
                   double frontDoor, DoubleConsumer progress) {
        if (!(frontDoor >= 0 && frontDoor <= 1)) {
            throw new IllegalArgumentException("the front door's share is between 0 and 1, not " + frontDoor);
        }
        SimulatedPool pool = new SimulatedPool(config.usersPerInstance());
        policy.prepare(pool);
        Instant start = trace.get(0).start().minus(Duration.ofHours(1));
        Instant end = trace.stream().map(TraceSession::end).max(Instant::compareTo).orElseThrow()
                .plus(Duration.ofHours(2));
        Deque<TraceSession> arrivals = new ArrayDeque<>(trace);
        Deque<Waiting> waiting = new ArrayDeque<>();
        List<Wait> waits = new ArrayList<>();
        Weeks weeks = new Weeks(trace);
        List<Sample> samples = new ArrayList<>();
        double total = Duration.between(start, end).toSeconds();
        for (Instant now = start; now.isBefore(end); now = now.plus(STEP)) {
            double billedBefore = pool.billedSeconds();
            pool.advance(now, STEP);
            weeks.bill(now, pool.billedSeconds() - billedBefore);
            pool.endSessions(now);
            while (!arrivals.isEmpty() && !arrivals.peekFirst().start().isAfter(now)) {
                // Arrivals are seen at the first step after them: a seat there means no wait at all.
                TraceSession session = arrivals.removeFirst();
                waiting.addLast(new Waiting(session, now, policy.ownsTheDoor() || throughTheDoor(session, frontDoor)));
            }
            seatWaiting(pool, waiting, waits, now);
            boolean tick = Duration.between(start, now).toSeconds() % TICK.toSeconds() == 0;
            int seen = seen(pool, waiting);
            if (tick || seen > 0) {
                pool.apply(policy.decide(pool, seen, now, tick), now);
            }
            if (tick) {
                samples.add(new Sample(now, pool.activeUsers() + waiting.size(), pool.running().size(),
                        policy.forecastUsers(now).orElse(null)));
                progress.accept(Duration.between(start, now).toSeconds() / total);
            }
        }
        for (Waiting never : waiting) {
            waits.add(new Wait(never.session().start(), Duration.between(never.session().start(), end).toSeconds()));
        }
        progress.accept(1.0);
        double hours = pool.billedSeconds() / 3600;
        return new Run(result(policy.name(), hours, hours * pricePerHour, trace.size(),
                waits.stream().map(Wait::seconds).toList(), pool.interrupted(), weeks.of(waits, pricePerHour)),
                samples);
    }

    static boolean throughTheDoor(TraceSession session, double share) {
        return Math.floorMod(Objects.hash(session.user(), session.start()), 10_000) < share * 10_000;
    }

    /** The waiting users the policy knows of: the front door's, and the others once an instance answers them. */
    private static int seen(SimulatedPool pool, Deque<Waiting> waiting) {
        boolean answering = !pool.running().isEmpty();
        return (int) waiting.stream().filter(w -> w.frontDoor() || answering).count();
    }

    /** Seats waiting users in arrival order; a seated user works the session's full length from then on. */
    private static void seatWaiting(SimulatedPool pool, Deque<Waiting> waiting, List<Wait> waits, Instant now) {
        for (int i = waiting.size(); i > 0; i--) {
            Waiting next = waiting.removeFirst();
            if (pool.seat(next.session().user(), now, now.plus(next.session().length())).isPresent()) {
                waits.add(new Wait(next.session().start(), now.equals(next.since()) ? 0.0
                        : (double) Duration.between(next.session().start(), now).toSeconds()));
            } else {
                waiting.addLast(next);
            }
        }
    }

    /**
     * The clairvoyant oracle: exactly the instances the sessions need, each started just in time, so nobody
     * waits and no instance runs a second longer than a session needs it.
     */
    static Run oracle(List<TraceSession> trace, ScalingConfig config, double pricePerHour) {
        Instant start = trace.get(0).start();
        Instant end = trace.stream().map(TraceSession::end).max(Instant::compareTo).orElseThrow();
        double instanceSeconds = 0;
        Weeks weeks = new Weeks(trace);
        List<Sample> samples = new ArrayList<>();
        int index = 0;
        List<TraceSession> active = new ArrayList<>();
        for (Instant now = start; now.isBefore(end); now = now.plus(STEP)) {
            Instant at = now;
            active.removeIf(session -> !session.end().isAfter(at));
            while (index < trace.size() && !trace.get(index).start().isAfter(now)) {
                active.add(trace.get(index++));
            }
            int needed = (active.size() + config.usersPerInstance() - 1) / config.usersPerInstance();
            instanceSeconds += needed * STEP.toSeconds();
            weeks.bill(now, needed * STEP.toSeconds());
            if (Duration.between(start, now).toSeconds() % TICK.toSeconds() == 0) {
                samples.add(new Sample(now, active.size(), needed));
            }
        }
        double hours = instanceSeconds / 3600;
        List<Wait> none = trace.stream().map(session -> new Wait(session.start(), 0)).toList();
        return new Run(result("oracle", hours, hours * pricePerHour, trace.size(),
                Collections.nCopies(trace.size(), 0.0), 0, weeks.of(none, pricePerHour)), samples);
    }

    private static SimulationResult result(String policy, double hours, double cost, int sessions,
                                           List<Double> waits, int interrupted, List<SimulationResult.Week> weeks) {
        List<Double> sorted = new ArrayList<>(waits);
        Collections.sort(sorted);
        int waited = (int) sorted.stream().filter(wait -> wait > 0).count();
        return new SimulationResult(policy, hours, cost, sessions, waited, percentile(sorted, 0.50),
                percentile(sorted, 0.95), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1), 0, interrupted, weeks);
    }

    /** Nearest-rank percentile. */
    static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
