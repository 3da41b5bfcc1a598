package org.dsvmpools.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;

class ScalingConfigsTest {

    @Test
    void spareCapacityComesFromTheSpecAndItsDefaultStandbyNeverExceedsMax() {
        var document = PoolDocumentsFixture.document("ml-team");
        document.putObject("scaling").put("seatHeadroom", 1).put("standbyInstances", 0);
        var small = PoolDocumentsFixture.document("ml-team");
        ((com.fasterxml.jackson.databind.node.ObjectNode) small.get("capacity")).put("max", 1).put("initial", 1)
                .put("min", 0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) small.get("schedule")).put("minInstancesDuringWorkHours", 1);

        ScalingConfig config = ScalingConfigs.of(org.dsvmpools.pool.PoolSpecJson.read(document).spec());
        ScalingConfig smallConfig = ScalingConfigs.of(org.dsvmpools.pool.PoolSpecJson.read(small).spec());

        assertThat(config.seatHeadroom()).isEqualTo(1);
        assertThat(config.standby()).isZero();
        assertThat(smallConfig.standby()).isEqualTo(1);
    }

    @Test
    void holidaysInTheSpecAreNotWorkDays() {
        var document = PoolDocumentsFixture.document("ml-team");
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("schedule")).putArray("holidays")
                .add("2026-12-24").add("2026-12-25");

        ScalingConfig config = ScalingConfigs.of(org.dsvmpools.pool.PoolSpecJson.read(document).spec());

        assertThat(config.schedule().isWorkTime(Instant.parse("2026-12-24T10:00:00Z"))).isFalse();
        assertThat(config.schedule().isWorkTime(Instant.parse("2026-12-23T10:00:00Z"))).isTrue();
    }

    @Test
    void aPoolsSpecGivesItsBoundsSeatsIdleTimeoutAndWorkSchedule() {
        ScalingConfig config = ScalingConfigs.of(PoolDocumentsFixture.spec("ml-team"));

        assertThat(config.min()).isZero();
        assertThat(config.max()).isEqualTo(4);
        assertThat(config.minDuringWork()).isEqualTo(1);
        assertThat(config.usersPerInstance()).isEqualTo(4);
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.seatHeadroom()).as("one instance's worth by default").isEqualTo(4);
        assertThat(config.standby()).isEqualTo(2);
        assertThat(config.schedule().zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(config.schedule().days()).containsExactlyInAnyOrder(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
                DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);
        assertThat(config.schedule().start()).isEqualTo(LocalTime.of(8, 0));
        assertThat(config.schedule().isWorkTime(Instant.parse("2026-11-27T16:59:00Z"))).isTrue();
        assertThat(config.schedule().isWorkTime(Instant.parse("2026-11-27T17:00:00Z"))).isFalse();
    }
}
