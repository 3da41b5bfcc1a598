package org.dsvmpools.scaling;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.dsvmpools.pool.PoolSpec;

/**
 * A pool's scaling rules from its spec. The spec has no holidays, seat headroom or standby count yet (they come
 * with {@code PATCH /api/pools/{name}}, issue #6): until then one seat of headroom and one standby instance.
 */
public final class ScalingConfigs {
    static final int DEFAULT_SEAT_HEADROOM = 1;
    static final int DEFAULT_STANDBY = 1;

    private ScalingConfigs() {
    }

    public static ScalingConfig of(PoolSpec spec) {
        PoolSpec.Schedule schedule = spec.schedule();
        return new ScalingConfig(spec.capacity().min(), spec.capacity().max(),
                schedule == null ? 0 : schedule.minInstancesDuringWorkHours(), spec.usersPerInstance(),
                DEFAULT_SEAT_HEADROOM, Duration.ofMinutes(spec.idleTimeoutMinutes()), DEFAULT_STANDBY,
                schedule == null ? null : workSchedule(schedule));
    }

    private static WorkSchedule workSchedule(PoolSpec.Schedule schedule) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String day : schedule.workDays()) {
            days.add(dayOf(day));
        }
        return new WorkSchedule(ZoneId.of(schedule.timeZone()), days, LocalTime.parse(schedule.workHours().start()),
                LocalTime.parse(schedule.workHours().end()), Set.of());
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
