package org.dsvmpools.scaling;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a pool's people did, per day of the pool's time zone and per {@link #SLOT} of local time: the most users
 * present at once, and how many sessions began. Kept for {@link #WINDOW_DAYS} days.
 *
 * <p>Both figures are maxima over the observations of a slot (the users present, the sessions seen to have begun
 * in it), so an observation repeated, or a report that arrives late and is seen again, changes nothing.
 *
 * <p>Slots are 15 minutes: a morning ramp of one to two hours spans four to eight of them, which is what the
 * forecast needs to start capacity ahead of it; five-minute slots triple the stored size and, with a few dozen
 * users, mostly add noise; hourly slots would spend an 08:45 peak at 08:00. Local time, so that 08:00 stays 08:00
 * across daylight-saving changes (the 25-hour day's repeated hour lands in the same slots, the maxima absorb it).
 */
public final class DemandHistory {
    public static final Duration SLOT = Duration.ofMinutes(15);
    public static final int SLOTS_PER_DAY = (int) (Duration.ofDays(1).toMinutes() / SLOT.toMinutes());
    /** Eight weeks: enough same-kind days for a robust figure, short enough to follow a team that changes. */
    public static final int WINDOW_DAYS = 56;

    /** One day's figures, per slot. */
    public record Day(LocalDate date, int[] peakUsers, int[] arrivals) {
        public Day {
            Objects.requireNonNull(date, "date");
            if (peakUsers.length != SLOTS_PER_DAY || arrivals.length != SLOTS_PER_DAY) {
                throw new IllegalArgumentException("a day has " + SLOTS_PER_DAY + " slots");
            }
        }

        static Day empty(LocalDate date) {
            return new Day(date, new int[SLOTS_PER_DAY], new int[SLOTS_PER_DAY]);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Day day && date.equals(day.date) && Arrays.equals(peakUsers, day.peakUsers)
                    && Arrays.equals(arrivals, day.arrivals);
        }

        @Override
        public int hashCode() {
            return Objects.hash(date, Arrays.hashCode(peakUsers), Arrays.hashCode(arrivals));
        }

        @Override
        public String toString() {
            return "Day[" + date + ", peaks " + Arrays.toString(peakUsers) + ", arrivals " + Arrays.toString(arrivals)
                    + "]";
        }
    }

    private final ZoneId zone;
    private final NavigableMap<LocalDate, Day> days = new TreeMap<>();

    public DemandHistory(ZoneId zone) {
        this.zone = zone;
    }

    public DemandHistory(ZoneId zone, Collection<Day> stored) {
        this(zone);
        stored.forEach(day -> days.put(day.date(), day));
    }

    public ZoneId zone() {
        return zone;
    }

    /** The days kept, oldest first. */
    public Collection<Day> days() {
        return days.values();
    }

    public Day day(LocalDate date) {
        return days.get(date);
    }

    static int slotOf(ZonedDateTime local) {
        return (int) (local.toLocalTime().toSecondOfDay() / SLOT.toSeconds());
    }

    /**
     * Notes what the agents report at {@code now}: the users on the pool's instances and the {@code waiting} ones
     * a wake asked seats for, and when each session began. The scaler and the simulator both observe so.
     */
    public Day observe(Instant now, Map<String, UsageReport> reports, int waiting) {
        Set<String> users = new HashSet<>();
        Set<String> sessions = new HashSet<>();
        List<Instant> begun = new ArrayList<>();
        for (UsageReport report : reports.values()) {
            for (UsageReport.Session session : report.sessions()) {
                users.add(session.user());
                // A user's session can show on two reports (kernel and SSH); it began once.
                if (session.since() != null && sessions.add(session.user() + "@" + session.since())) {
                    begun.add(session.since());
                }
            }
        }
        return observe(now, users.size() + waiting, begun);
    }

    /**
     * Notes what the scaler sees at {@code now}: {@code users} present or asking for a seat, and the start
     * times of the sessions it sees. Returns the day it changed, the only one to store.
     */
    public Day observe(Instant now, int users, Collection<Instant> sessionStarts) {
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        Day day = days.computeIfAbsent(today, Day::empty);
        int slot = slotOf(local);
        day.peakUsers()[slot] = Math.max(day.peakUsers()[slot], users);
        Map<Integer, Integer> begun = new HashMap<>();
        for (Instant start : sessionStarts) {
            ZonedDateTime began = start.atZone(zone);
            if (began.toLocalDate().equals(today) && !start.isAfter(now)) {
                begun.merge(slotOf(began), 1, Integer::sum);
            }
        }
        begun.forEach((s, count) -> day.arrivals()[s] = Math.max(day.arrivals()[s], count));
        days.headMap(today.minusDays(WINDOW_DAYS - 1L), false).clear();
        return day;
    }
}
