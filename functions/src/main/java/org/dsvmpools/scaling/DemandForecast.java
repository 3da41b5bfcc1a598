package org.dsvmpools.scaling;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a pool's history says about the hours ahead: how many sessions will begin and how many users will be
 * present, per slot, from the same slot on recent days of the same kind (a work day, or a day off: a weekend or
 * one of the pool's holidays).
 *
 * <p>The figure for a slot is the second highest of the last {@link #SAME_KIND_DAYS} days of that kind, or the
 * highest while fewer than three are known. A high figure, because a user who waits costs more than an instance
 * that idles for a few minutes; not the highest, because one exceptional day (an all-hands, a training) would
 * otherwise set the capacity of every day for weeks. A day the pool was down shows low figures and drops out of
 * a high order statistic by itself. Five days: a week of work days, recent enough to follow a team's change.
 * Pure and deterministic: the same history and time give the same forecast.
 */
public final class DemandForecast {
    static final int SAME_KIND_DAYS = 5;
    /** No history: the policy decides as it did without a forecast. */
    public static final DemandForecast NONE = new DemandForecast(null, null, List.of());

    private final DemandHistory history;
    private final WorkSchedule schedule;
    /** The days the figures come from, most recent first, per kind: index 0 work days, 1 days off. */
    private final List<List<DemandHistory.Day>> byKind;

    private DemandForecast(DemandHistory history, WorkSchedule schedule, List<List<DemandHistory.Day>> byKind) {
        this.history = history;
        this.schedule = schedule;
        this.byKind = byKind;
    }

    /** The forecast as of {@code now}: from the days before today only. */
    public static DemandForecast of(DemandHistory history, WorkSchedule schedule, Instant now) {
        LocalDate today = now.atZone(history.zone()).toLocalDate();
        List<List<DemandHistory.Day>> byKind = List.of(new ArrayList<>(), new ArrayList<>());
        List<DemandHistory.Day> days = new ArrayList<>(history.days());
        for (int i = days.size() - 1; i >= 0; i--) {
            DemandHistory.Day day = days.get(i);
            List<DemandHistory.Day> kind = byKind.get(workDay(day.date(), schedule) ? 0 : 1);
            if (day.date().isBefore(today) && kind.size() < SAME_KIND_DAYS) {
                kind.add(day);
            }
        }
        return byKind.get(0).isEmpty() && byKind.get(1).isEmpty() ? NONE
                : new DemandForecast(history, schedule, byKind);
    }

    /** A work day by the pool's schedule; without one, Monday to Friday. */
    static boolean workDay(LocalDate date, WorkSchedule schedule) {
        if (schedule == null) {
            return date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
        }
        return schedule.days().contains(date.getDayOfWeek()) && !schedule.holidays().contains(date);
    }

    /** How many days the figures rest on, of both kinds. */
    public int historyDays() {
        return byKind.stream().mapToInt(List::size).sum();
    }

    public boolean isEmpty() {
        return history == null;
    }

    /** Sessions expected to begin in {@code (from, to]}, a slot's figure spread evenly over it; empty: no history. */
    public Optional<Double> arrivalsBetween(Instant from, Instant to) {
        if (isEmpty() || !to.isAfter(from)) {
            return Optional.empty();
        }
        double expected = 0;
        boolean known = false;
        for (Instant at = slotStart(from); at.isBefore(to); at = at.plus(DemandHistory.SLOT)) {
            Optional<Integer> figure = figure(at, true);
            if (figure.isEmpty()) {
                continue;
            }
            known = true;
            Instant end = at.plus(DemandHistory.SLOT);
            long overlap = Duration.between(later(at, from), earlier(end, to)).toSeconds();
            expected += figure.get() * (double) overlap / DemandHistory.SLOT.toSeconds();
        }
        return known ? Optional.of(expected) : Optional.empty();
    }

    /** The most users expected present at once in {@code [from, to)}; empty: no history for that time. */
    public Optional<Integer> peakBetween(Instant from, Instant to) {
        if (isEmpty()) {
            return Optional.empty();
        }
        Optional<Integer> peak = Optional.empty();
        for (Instant at = slotStart(from); at.isBefore(to); at = at.plus(DemandHistory.SLOT)) {
            Optional<Integer> figure = figure(at, false);
            if (figure.isPresent() && (peak.isEmpty() || figure.get() > peak.get())) {
                peak = figure;
            }
        }
        return peak;
    }

    /** The slot's figure on days of the kind of {@code at}'s day. */
    private Optional<Integer> figure(Instant at, boolean arrivals) {
        ZonedDateTime local = at.atZone(history.zone());
        List<DemandHistory.Day> days = byKind.get(workDay(local.toLocalDate(), schedule) ? 0 : 1);
        if (days.isEmpty()) {
            return Optional.empty();
        }
        int slot = DemandHistory.slotOf(local);
        int[] values = days.stream().mapToInt(day -> (arrivals ? day.arrivals() : day.peakUsers())[slot]).toArray();
        Arrays.sort(values);
        return Optional.of(values.length >= 3 ? values[values.length - 2] : values[values.length - 1]);
    }

    /** The start of {@code at}'s slot; slots divide the hour, so the hour's offset is the slot's. */
    private Instant slotStart(Instant at) {
        ZonedDateTime local = at.atZone(history.zone());
        long minutes = DemandHistory.SLOT.toMinutes();
        return local.truncatedTo(ChronoUnit.HOURS).plusMinutes(local.getMinute() / minutes * minutes).toInstant();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
