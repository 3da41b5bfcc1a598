package org.dsvmpools.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The forecast, one row per rule. History is written {@code date:peak/arrivals} for the 08:00-08:15 slot (local
 * time in Berlin) of each day; the forecast is asked for that slot of the day of {@code now}.
 */
class DemandForecastTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final WorkSchedule OFFICE = new WorkSchedule(BERLIN, EnumSet.range(DayOfWeek.MONDAY,
            DayOfWeek.FRIDAY), LocalTime.of(8, 0), LocalTime.of(18, 0), Set.of(LocalDate.of(2026, 12, 25)));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        no history: no forecast                                    | 2026-11-23T07:00:00Z |                                                        | none
        one work day: its figure                                   | 2026-11-23T07:00:00Z | 2026-11-20:10/6                                         | 10/6
        fewer than three days: the highest                         | 2026-11-23T07:00:00Z | 2026-11-19:4/2 2026-11-20:9/7                           | 9/7
        one exceptional day does not set the figure                | 2026-11-23T07:00:00Z | 2026-11-16:4/4 2026-11-17:10/6 2026-11-18:6/5 2026-11-19:30/30 2026-11-20:8/5 | 10/6
        a day the pool was down drops out                          | 2026-11-23T07:00:00Z | 2026-11-17:8/5 2026-11-18:9/6 2026-11-19:0/0 2026-11-20:10/7 | 9/6
        only the last five days of the kind count                  | 2026-11-23T07:00:00Z | 2026-11-12:40/40 2026-11-13:40/40 2026-11-16:5/1 2026-11-17:6/2 2026-11-18:7/3 2026-11-19:8/4 2026-11-20:9/5 | 8/4
        a weekend does not speak for a Monday                      | 2026-11-23T07:00:00Z | 2026-11-21:3/3 2026-11-22:2/2                           | none
        a Saturday speaks for a Sunday                             | 2026-11-22T07:00:00Z | 2026-11-21:3/3                                          | 3/3
        a holiday is a day off, not a work day                     | 2026-12-25T07:00:00Z | 2026-12-21:20/9 2026-12-22:20/9 2026-12-19:2/1          | 2/1
        today's morning so far is not history                      | 2026-11-23T07:00:00Z | 2026-11-20:10/6 2026-11-23:50/50                        | 10/6
        08:00 stays 08:00 across the change to summer time         | 2026-03-30T06:00:00Z | 2026-03-26:8/5 2026-03-27:7/4                           | 8/5
        """)
    void figures(String rule, String now, String days, String expected) {
        Instant at = Instant.parse(now);
        DemandForecast forecast = DemandForecast.of(history(days), OFFICE, at);
        Instant end = at.plus(DemandHistory.SLOT);

        String seen = forecast.peakBetween(at, end).map(peak -> peak + "/"
                + Math.round(forecast.arrivalsBetween(at, end).orElseThrow())).orElse("none");

        assertThat(seen).as(rule).isEqualTo(expected);
    }

    private static DemandHistory history(String days) {
        List<DemandHistory.Day> stored = new ArrayList<>();
        if (days != null) {
            for (String day : days.trim().split("\\s+")) {
                String[] parts = day.split("[:/]");
                DemandHistory.Day row = new DemandHistory.Day(LocalDate.parse(parts[0]),
                        new int[DemandHistory.SLOTS_PER_DAY], new int[DemandHistory.SLOTS_PER_DAY]);
                int slot = DemandHistory.slotOf(ZonedDateTime.of(row.date(), LocalTime.of(8, 0), BERLIN));
                row.peakUsers()[slot] = Integer.parseInt(parts[1]);
                row.arrivals()[slot] = Integer.parseInt(parts[2]);
                stored.add(row);
            }
        }
        return new DemandHistory(BERLIN, stored);
    }

    @Test
    void arrivalsAreSpreadEvenlyOverTheirSlot() {
        DemandForecast forecast = DemandForecast.of(history("2026-11-20:12/12"), OFFICE,
                Instant.parse("2026-11-23T06:55:00Z"));

        assertThat(forecast.arrivalsBetween(Instant.parse("2026-11-23T06:55:00Z"), Instant.parse("2026-11-23T07:05:00Z")))
                .hasValueSatisfying(expected -> assertThat(expected).isCloseTo(4.0, org.assertj.core.data.Offset
                        .offset(1e-9)));
        assertThat(forecast.peakBetween(Instant.parse("2026-11-23T06:30:00Z"), Instant.parse("2026-11-23T06:45:00Z")))
                .contains(0);
        assertThat(forecast.historyDays()).isEqualTo(1);
    }

    @Test
    void anObservationRepeatedOrSeenLateChangesNothingAndEightWeeksAreKept() {
        DemandHistory history = new DemandHistory(BERLIN);
        Instant eight = Instant.parse("2026-11-23T07:03:00Z");
        List<Instant> starts = List.of(Instant.parse("2026-11-23T07:01:00Z"), Instant.parse("2026-11-23T07:02:00Z"));

        DemandHistory.Day first = history.observe(eight, 2, starts);
        int[] arrivals = first.arrivals().clone();
        history.observe(eight.plusSeconds(60), 2, starts);
        history.observe(eight.plusSeconds(120), 1, starts.subList(0, 1));

        DemandHistory.Day day = history.day(LocalDate.of(2026, 11, 23));
        assertThat(day.arrivals()).isEqualTo(arrivals);
        assertThat(day.peakUsers()[DemandHistory.slotOf(eight.atZone(BERLIN))]).isEqualTo(2);
        assertThat(arrivals[DemandHistory.slotOf(eight.atZone(BERLIN))]).isEqualTo(2);

        history.observe(eight.plus(Duration.ofDays(DemandHistory.WINDOW_DAYS)), 1, List.of());
        assertThat(history.days()).extracting(DemandHistory.Day::date)
                .containsExactly(LocalDate.of(2026, 11, 23).plusDays(DemandHistory.WINDOW_DAYS));
        history.observe(eight.plus(Duration.ofDays(DemandHistory.WINDOW_DAYS - 1)), 1, List.of());
        assertThat(history.days()).hasSize(2);
    }
}
