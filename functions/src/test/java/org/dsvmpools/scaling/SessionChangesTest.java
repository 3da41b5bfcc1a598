package org.dsvmpools.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionChangesTest {
    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private static UsageReport report(Instant at, UsageReport.Session... sessions) {
        return new UsageReport("0", at, List.of(sessions), List.of(), 1, at);
    }

    @Test
    void aUserWhoAppearsBeginsAtTheirLoginTimeAndOneWhoIsGoneEndedWhenLastSeen() {
        UsageReport first = report(T0, new UsageReport.Session("alice", T0, T0.minusSeconds(40)),
                new UsageReport.Session("alice", T0), new UsageReport.Session("bob", T0));
        assertThat(SessionChanges.between(null, first)).containsExactly(
                new SessionChanges.Change("alice", T0.minusSeconds(40), true),
                new SessionChanges.Change("bob", T0, true));

        UsageReport next = report(T0.plusSeconds(60), new UsageReport.Session("alice", T0.plusSeconds(60)));
        assertThat(SessionChanges.between(first, next)).as("alice stays: nothing to write for her")
                .containsExactly(new SessionChanges.Change("bob", T0, false));
    }

    @Test
    void reportsFurtherApartThanTenMinutesEndEverySessionAndBeginThemAgain() {
        UsageReport before = report(T0, new UsageReport.Session("alice", T0));
        UsageReport after = report(T0.plus(Duration.ofMinutes(11)), new UsageReport.Session("alice", T0));
        assertThat(SessionChanges.between(before, after)).containsExactly(
                new SessionChanges.Change("alice", T0, false),
                new SessionChanges.Change("alice", T0.plus(Duration.ofMinutes(11)), true));
    }

    @Test
    void aLateOrRepeatedReportChangesNothingAndALoginTimeAfterTheReportIsNotBelieved() {
        UsageReport now = report(T0, new UsageReport.Session("alice", T0));
        assertThat(SessionChanges.between(now, report(T0.minusSeconds(60)))).isEmpty();
        assertThat(SessionChanges.between(now, now)).isEmpty();
        assertThat(SessionChanges.between(null, report(T0, new UsageReport.Session("carol", T0,
                T0.plusSeconds(300))))).containsExactly(new SessionChanges.Change("carol", T0, true));
    }
}
