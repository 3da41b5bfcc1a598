package org.dsvmpools.scaling;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * When a pool's people work: days and hours in their time zone, minus holidays. Daylight-saving changes follow
 * the zone's rules because the check happens in local time.
 */
public record WorkSchedule(ZoneId zone, Set<DayOfWeek> days, LocalTime start, LocalTime end, Set<LocalDate> holidays) {
    public WorkSchedule {
        days = Set.copyOf(days);
        holidays = Set.copyOf(holidays);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("work hours must end after they start");
        }
    }

    public boolean isWorkTime(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !holidays.contains(local.toLocalDate())
                && !time.isBefore(start) && time.isBefore(end);
    }
}
