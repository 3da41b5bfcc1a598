package org.dsvmpools.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeteredTest {
    private static final Instant T0 = Instant.parse("2026-03-31T23:58:00Z");

    @Test
    void allocatedInstancesAreCountedForTheTimeBetweenCountsAndAMonthStartsAtZero() {
        Metered march = Metered.from(T0.minus(Duration.ofHours(1))).advance(T0.minus(Duration.ofHours(1))
                .plusSeconds(60), 3);
        assertThat(march.instanceHours()).isCloseTo(3 / 60.0, offset(1e-9));

        Metered april = new Metered(YearMonth.of(2026, 3), 100, T0).advance(T0.plus(Duration.ofMinutes(3)), 2);
        assertThat(april.month()).isEqualTo(YearMonth.of(2026, 4));
        assertThat(april.instanceHours()).as("only the minute after midnight, UTC").isCloseTo(2 / 60.0, offset(1e-9));
    }

    @Test
    void aLongGapCountsAtMostThreeMinutesSoTheFigureIsALowerBound() {
        Metered after = Metered.from(T0.minus(Duration.ofHours(5))).advance(T0, 4);
        assertThat(after.instanceHours()).isCloseTo(4 * 3 / 60.0, offset(1e-9));
        assertThat(after.countedTo()).isEqualTo(T0);
        assertThat(after.advance(T0.minusSeconds(10), 4)).as("a clock that went back counts nothing").isEqualTo(after);
    }

    @Test
    void everyPowerStateButDeallocatedIsBilled() {
        List<Instance> seen = List.of(
                new Instance("0", PowerState.Running, false, null, false),
                new Instance("1", PowerState.Starting, false, null, false),
                new Instance("2", PowerState.Deallocating, false, null, false),
                new Instance("3", PowerState.Deallocated, false, null, false));
        assertThat(Metered.allocated(seen)).isEqualTo(3);
    }
}
