package org.dsvmpools.scaling;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A pool's instance-hours this month, as the scaler counts them tick by tick: the instances it saw allocated
 * (any power state but Deallocated: Azure bills a VM's compute while it holds its hardware) times the time
 * since the last count. A gap longer than {@link #LONGEST_GAP} (ticks missed, evaluations failing) is counted as
 * that long only: the figure is then a lower bound, never a guess at what ran unseen. Months are UTC's.
 *
 * @param countedTo the last time counted
 */
public record Metered(YearMonth month, double instanceHours, Instant countedTo) {
    /** Two ticks of the scaler's one-minute timer, and a little more. */
    static final Duration LONGEST_GAP = Duration.ofMinutes(3);

    /** Nothing counted yet: from {@code now} on. */
    public static Metered from(Instant now) {
        return new Metered(YearMonth.from(now.atZone(ZoneOffset.UTC)), 0, now);
    }

    /** Counts {@code allocated} instances from the last count to {@code now}; a new month starts at zero. */
    public Metered advance(Instant now, long allocated) {
        if (!now.isAfter(countedTo)) {
            return this;
        }
        YearMonth current = YearMonth.from(now.atZone(ZoneOffset.UTC));
        Instant from = countedTo;
        double hours = instanceHours;
        if (!current.equals(month)) {
            from = latest(from, current.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
            hours = 0;
        }
        Duration counted = Duration.between(from, now);
        if (counted.compareTo(LONGEST_GAP) > 0) {
            counted = LONGEST_GAP;
        }
        return new Metered(current, hours + allocated * counted.toMillis() / 3_600_000.0, now);
    }

    /** The instances Azure bills compute for: all but the deallocated. */
    static long allocated(List<Instance> instances) {
        return instances.stream().filter(instance -> instance.power() != PowerState.Deallocated).count();
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
