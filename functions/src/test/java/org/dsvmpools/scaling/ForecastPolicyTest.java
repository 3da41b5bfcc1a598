package org.dsvmpools.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the forecast adds to the policy, one row each. The pool works 08:00-19:00 UTC with no floor, four seats an
 * instance, at most four instances and one standby; its history (the work week before Monday 2026-11-23) says
 * {@code arrivals} sessions begin in the 07:00-07:15 slot, before the work hours, and {@code peak} users are
 * present from 08:00. Instances
 * are {@code id:state}, all idle for an hour; expected actions as {@link ScalingPolicyTest#describe}.
 */
class ForecastPolicyTest {
    private static final WorkSchedule DAY = new WorkSchedule(ZoneOffset.UTC, EnumSet.range(DayOfWeek.MONDAY,
            DayOfWeek.FRIDAY), LocalTime.of(8, 0), LocalTime.of(19, 0), Set.of());
    private static final ScalingConfig CONFIG = new ScalingConfig(0, 4, 0, 4, 4, Duration.ofMinutes(30), 1, DAY);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        no history: nothing happens before anyone comes                     | 2026-11-23T06:58:00Z | 0:Deallocated 1:Deallocated |  0 |  0 |
        arrivals expected within a start: one is started before the day     | 2026-11-23T06:58:00Z | 0:Deallocated 1:Deallocated | 12 | 12 | start[0]
        twelve arrivals in the slot need two instances' seats early          | 2026-11-23T07:01:00Z | 0:Deallocated 1:Deallocated 2:Deallocated | 40 | 12 | start[0, 1, 2]
        nothing to start: a create is needed, so it is asked for earlier     | 2026-11-23T06:56:00Z |                             | 12 | 12 | create 1
        too early even for a create                                         | 2026-11-23T06:50:00Z |                             | 12 | 12 |
        evening: idle instances stay as standby for tomorrow's peak         | 2026-11-23T20:00:00Z | 0:Running 1:Running 2:Running | 12 | 12 | deallocate[0, 1, 2]
        evening without history: beyond the standby count they are deleted  | 2026-11-23T20:00:00Z | 0:Running 1:Running 2:Running |  0 |  0 | deallocate[0]; delete[1, 2]
        the standby never exceeds max                                       | 2026-11-23T20:00:00Z | 0:Running 1:Running 2:Running 3:Running 4:Running | 12 | 80 | deallocate[0, 1, 2, 3]; delete[4]
        """)
    void rules(String rule, String now, String instances, int arrivals, int peak, String expected) {
        Instant at = Instant.parse(now);
        DemandForecast forecast = DemandForecast.of(history(arrivals, peak), DAY, at);

        ScalingDecision decision = ScalingPolicy.decide(CONFIG, instances(instances, at), Map.of(), at, 0, forecast);

        assertThat(ScalingPolicyTest.describe(decision.actions())).as(rule).isEqualTo(expected == null ? ""
                : expected);
        if (arrivals > 0 && !decision.actions().isEmpty() && at.atZone(ZoneOffset.UTC).getHour() < 8) {
            assertThat(decision.actions().get(0).reason()).as("the reason says the forecast drove it")
                    .contains("forecast");
        }
    }

    /** Monday to Friday of the week before, the same figures each day. */
    private static DemandHistory history(int arrivals, int peak) {
        List<DemandHistory.Day> days = new ArrayList<>();
        if (arrivals + peak > 0) {
            for (LocalDate date = LocalDate.of(2026, 11, 16); date.isBefore(LocalDate.of(2026, 11, 21));
                 date = date.plusDays(1)) {
                DemandHistory.Day day = new DemandHistory.Day(date, new int[DemandHistory.SLOTS_PER_DAY],
                        new int[DemandHistory.SLOTS_PER_DAY]);
                day.arrivals()[DemandHistory.slotOf(ZonedDateTime.of(date, LocalTime.of(7, 0), ZoneOffset.UTC))] =
                        arrivals;
                for (int hour = 8; hour < 17; hour++) {
                    for (int quarter = 0; quarter < 4; quarter++) {
                        day.peakUsers()[DemandHistory.slotOf(ZonedDateTime.of(date, LocalTime.of(hour, quarter * 15),
                                ZoneOffset.UTC))] = peak;
                    }
                }
                days.add(day);
            }
        }
        return new DemandHistory(ZoneOffset.UTC, days);
    }

    private static List<Instance> instances(String spec, Instant now) {
        List<Instance> instances = new ArrayList<>();
        if (spec != null) {
            for (String item : spec.trim().split("\\s+")) {
                String[] parts = item.split(":");
                instances.add(new Instance(parts[0], PowerState.valueOf(parts[1]), false,
                        now.minus(Duration.ofHours(1))));
            }
        }
        return instances;
    }
}
