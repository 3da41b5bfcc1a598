package org.dsvmpools.scaling;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.dsvmpools.pool.PoolSpec;

/**
 * A pool's scaling rules from its spec. The spec's defaults: one instance's worth of spare seats (with one spare
 * seat, a morning's arrivals outran the starts: 13% of the simulated office sessions waited, against 1.3%), and
 * two deallocated standby instances (a start takes 90 s, a new instance 240 s).
 */
public final class ScalingConfigs {
    private ScalingConfigs() {
    }

    public static ScalingConfig of(PoolSpec spec) {
        PoolSpec.Schedule schedule = spec.schedule();
        return new ScalingConfig(spec.capacity().min(), spec.capacity().max(),
                schedule == null ? 0 : schedule.minInstancesDuringWorkHours(), spec.usersPerInstance(),
                spec.scaling().seatHeadroom(), Duration.ofMinutes(spec.idleTimeoutMinutes()),
                spec.scaling().standbyInstances(), schedule == null ? null : workSchedule(schedule));
    }

    private static WorkSchedule workSchedule(PoolSpec.Schedule schedule) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String day : schedule.workDays()) {
            days.add(dayOf(day));
        }
        return new WorkSchedule(ZoneId.of(schedule.timeZone()), days, LocalTime.parse(schedule.workHours().start()),
                LocalTime.parse(schedule.workHours().end()), schedule.holidays().stream().map(LocalDate::parse)
                .collect(Collectors.toSet()));
    }

    /** The spec's validated three-letter day names: MON ... SUN. */
    private static DayOfWeek dayOf(String day) {
        for (DayOfWeek candidate : DayOfWeek.values()) {
            if (candidate.name().startsWith(day)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("not a day: " + day);
    }
}
