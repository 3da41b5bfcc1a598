package org.dsvmpools.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Free seats kept for the next users, by the arrivals the agents report: logins written {@code user:minutesAgo}. */
class HeadroomTest {
    private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");
    private static final ScalingConfig FOUR_SPARE = new ScalingConfig(0, 10, 1, 4, 4, Duration.ofMinutes(30), 2,
            null);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        morning ramp: three logins in half an hour keep three seats | true  | a:5 b:12 c:29        | 3
        a rush keeps the whole headroom and no more                 | true  | a:1 b:2 c:3 d:4 e:5 f:6 | 4
        a quiet afternoon keeps one seat                            | true  | a:95 b:180 c:31       | 1
        nobody there yet keeps one seat                             | true  |                       | 1
        outside work hours none                                     | false | a:1 b:2               | 0
        one user logging in twice counts once                       | true  | a:1 a:3               | 1
        an agent that does not say when sessions began gets the whole headroom | true | a:95 b:unknown | 4
        """)
    void seats(String rule, boolean workTime, String logins, int expected) {
        List<UsageReport.Session> sessions = new ArrayList<>();
        if (logins != null) {
            for (String login : logins.trim().split("\\s+")) {
                String[] parts = login.split(":");
                Instant since = parts[1].equals("unknown") ? null
                        : NOW.minus(Duration.ofMinutes(Long.parseLong(parts[1])));
                sessions.add(new UsageReport.Session(parts[0], NOW, since));
            }
        }
        Map<String, UsageReport> reports = Map.of("0", new UsageReport("0", NOW, sessions, List.of(), 50, NOW));

        int seats = Headroom.seats(FOUR_SPARE, workTime, List.of(new Instance("0", PowerState.Running, false,
                NOW.minus(Duration.ofHours(3)))), reports, NOW);

        assertThat(seats).as(rule).isEqualTo(expected);
    }
}
