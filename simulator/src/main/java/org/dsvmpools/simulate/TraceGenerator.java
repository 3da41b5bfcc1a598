package org.dsvmpools.simulate;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Seeded synthetic traces of a team's working weeks: work-day arrivals with a morning ramp and a lunch dip,
 * quiet weekends, optionally a class-style burst (30 users logging in within 5 minutes) and overnight
 * long-running jobs. The bundled traces are made by this class; the same seed always gives the same trace.
 */
public final class TraceGenerator {
    /**
     * @param users      regular team members; {@code classBurst}: a 30-user class on the first Wednesday at 14:00
     * @param department a department's day instead of a team's: most arrive within the first two hours of the
     *                   work day (07:00-09:00 UTC) and stay for hours, as in the office traces the issue
     *                   describes; the team's day ramps up from 7:45 to 11:00 Berlin time
     */
    public record Shape(int users, int weeks, boolean classBurst, int overnightJobsPerWorkDay, boolean department) {
        public Shape(int users, int weeks, boolean classBurst, int overnightJobsPerWorkDay) {
            this(users, weeks, classBurst, overnightJobsPerWorkDay, false);
        }
    }

    /** The traces shipped in {@code local/src/main/resources/traces}, by file name. */
    public static final List<Bundled> BUNDLED = List.of(
            new Bundled("office-2-weeks.csv", new Shape(30, 2, false, 0), 1),
            new Bundled("class-burst.csv", new Shape(20, 1, true, 0), 2),
            new Bundled("overnight-jobs.csv", new Shape(15, 1, false, 3), 3),
            new Bundled("department-3-weeks.csv", new Shape(110, 3, false, 0, true), 4,
                    "simulate/department-pool.json"));

    /** @param pool the bundled pool document it is simulated with unless {@code --pool} names another */
    public record Bundled(String file, Shape shape, long seed, String pool) {
        public Bundled(String file, Shape shape, long seed) {
            this(file, shape, seed, "simulate/pool.json");
        }
    }

    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    /** A Monday. */
    static final LocalDate FIRST_DAY = LocalDate.of(2026, 11, 2);

    private TraceGenerator() {
    }

    public static List<TraceSession> generate(Shape shape, long seed) {
        Random random = new Random(seed);
        List<TraceSession> sessions = new ArrayList<>();
        for (int day = 0; day < shape.weeks() * 7; day++) {
            LocalDate date = FIRST_DAY.plusDays(day);
            boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
            for (int user = 1; user <= shape.users(); user++) {
                String name = String.format("user%02d", user);
                if (weekend) {
                    weekendWork(random, date, name, sessions);
                } else if (shape.department()) {
                    departmentDay(random, date, name, sessions);
                } else {
                    workDay(random, date, name, sessions);
                }
            }
            if (!weekend) {
                for (int job = 1; job <= shape.overnightJobsPerWorkDay(); job++) {
                    ZonedDateTime start = at(date, LocalTime.of(19, 0)).plusMinutes(random.nextInt(120));
                    ZonedDateTime end = at(date.plusDays(1), LocalTime.of(2, 0)).plusMinutes(random.nextInt(180));
                    sessions.add(session("job" + job, start, end));
                }
            }
            if (shape.classBurst() && date.getDayOfWeek() == DayOfWeek.WEDNESDAY && day < 7) {
                for (int student = 1; student <= 30; student++) {
                    ZonedDateTime start = at(date, LocalTime.of(14, 0)).plusSeconds(random.nextInt(300));
                    sessions.add(session(String.format("student%02d", student), start, start.plusMinutes(90)));
                }
            }
        }
        sessions.sort(Comparator.comparing(TraceSession::start).thenComparing(TraceSession::user));
        return sessions;
    }

    /** Most come in between 8 and 10, work until lunch, pause, and work on into the afternoon. */
    private static void workDay(Random random, LocalDate date, String user, List<TraceSession> sessions) {
        if (random.nextDouble() > 0.85) {
            return;
        }
        ZonedDateTime arrive = at(date, LocalTime.of(9, 0)).plusMinutes(clamp(gaussian(random, 0, 40), -75, 120));
        if (random.nextDouble() < 0.2) {
            sessions.add(session(user, arrive, arrive.plusMinutes(60 + random.nextInt(120))));
            return;
        }
        ZonedDateTime lunch = at(date, LocalTime.of(12, 0)).plusMinutes(random.nextInt(60));
        if (lunch.isAfter(arrive.plusMinutes(20))) {
            sessions.add(session(user, arrive, lunch));
        }
        ZonedDateTime back = lunch.plusMinutes(30 + random.nextInt(31));
        ZonedDateTime leave = at(date, LocalTime.of(17, 0)).plusMinutes(clamp(gaussian(random, 0, 45), -60, 120));
        if (leave.isAfter(back.plusMinutes(20))) {
            sessions.add(session(user, back, leave));
        }
    }

    /**
     * In between 07:00 and 09:00 UTC (a few later), for most of the day: until lunch, then on into the evening;
     * a quarter work through in one session. One in ten is away on any day.
     */
    private static void departmentDay(Random random, LocalDate date, String user, List<TraceSession> sessions) {
        if (random.nextDouble() < 0.1) {
            return;
        }
        ZonedDateTime arrive = ZonedDateTime.of(date, LocalTime.of(7, 50), ZoneOffset.UTC)
                .plusMinutes(clamp(gaussian(random, 0, 30), -50, 150));
        ZonedDateTime leave = ZonedDateTime.of(date, LocalTime.of(16, 30), ZoneOffset.UTC)
                .plusMinutes(clamp(gaussian(random, 0, 50), -150, 150));
        if (random.nextDouble() < 0.25) {
            sessions.add(session(user, arrive, leave));
            return;
        }
        ZonedDateTime lunch = ZonedDateTime.of(date, LocalTime.of(11, 30), ZoneOffset.UTC)
                .plusMinutes(random.nextInt(90));
        if (lunch.isAfter(arrive.plusMinutes(20))) {
            sessions.add(session(user, arrive, lunch));
        }
        ZonedDateTime back = lunch.plusMinutes(20 + random.nextInt(41));
        if (leave.isAfter(back.plusMinutes(20))) {
            sessions.add(session(user, back, leave));
        }
    }

    private static void weekendWork(Random random, LocalDate date, String user, List<TraceSession> sessions) {
        if (random.nextDouble() < 0.05) {
            ZonedDateTime start = at(date, LocalTime.of(10, 0)).plusMinutes(random.nextInt(360));
            sessions.add(session(user, start, start.plusMinutes(60 + random.nextInt(60))));
        }
    }

    private static ZonedDateTime at(LocalDate date, LocalTime time) {
        return ZonedDateTime.of(date, time, ZONE);
    }

    private static TraceSession session(String user, ZonedDateTime start, ZonedDateTime end) {
        return new TraceSession(user, start.toInstant(), end.toInstant());
    }

    private static long gaussian(Random random, double mean, double deviation) {
        return Math.round(mean + random.nextGaussian() * deviation);
    }

    private static long clamp(long value, long low, long high) {
        return Math.max(low, Math.min(high, value));
    }

    static Duration span(List<TraceSession> sessions) {
        return Duration.between(sessions.get(0).start(), sessions.stream().map(TraceSession::end)
                .max(Comparator.naturalOrder()).orElseThrow());
    }
}
