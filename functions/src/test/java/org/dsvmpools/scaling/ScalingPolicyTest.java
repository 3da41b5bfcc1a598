package org.dsvmpools.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The policy's rules, one row each. Instances are written {@code id:state[:flags]} (flags {@code p}: protected from
 * scale-in, {@code d}: draining, {@code fresh}: started 5 minutes ago; others started two hours before
 * {@code now}), reports {@code id:kind:user:minutesAgo} ({@code ssh}/{@code idle-kernel}/{@code busy-kernel} with
 * the activity's age; {@code none} for an empty report; {@code silent-N} for a report last sent N minutes ago;
 * {@code left-N} for an agent whose last session ended N minutes ago), expected actions as {@link #describe}.
 */
class ScalingPolicyTest {
    private static final WorkSchedule BERLIN_OFFICE = new WorkSchedule(ZoneId.of("Europe/Berlin"),
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(8, 0), LocalTime.of(18, 0),
            Set.of(LocalDate.of(2026, 12, 25)));
    private static final ScalingConfig CONFIG = new ScalingConfig(0, 4, 1, 4, 1, Duration.ofMinutes(30), 1,
            BERLIN_OFFICE);
    /** Wednesday 2026-11-25. */
    private static final String WORK = "2026-11-25T09:00:00Z";
    private static final String NIGHT = "2026-11-25T21:00:00Z";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        night: an idle running instance is deallocated as standby        | NIGHT | 0:Running:p            | 0:none                        | 0 | deallocate[0]; release 0
        night: beyond the standby count an idle instance is deleted       | NIGHT | 0:Running 1:Deallocated | 0:none                       | 0 | delete[0]
        night: a session active within the idle timeout keeps it running  | NIGHT | 0:Running              | 0:ssh:alice:10                | 0 | protect 0
        night: an SSH session idle past the timeout does not              | NIGHT | 0:Running              | 0:ssh:alice:45                | 0 | deallocate[0]
        night: a busy kernel that printed nothing for hours keeps it      | NIGHT | 0:Running              | 0:busy-kernel:bob:300         | 0 | protect 0
        night: an idle kernel past the timeout does not                   | NIGHT | 0:Running:p            | 0:idle-kernel:bob:90          | 0 | deallocate[0]; release 0
        night: nothing to do at zero                                      | NIGHT | 0:Deallocated          |                               | 0 |
        work hours: the floor starts a deallocated instance first         | WORK  | 0:Deallocated          |                               | 0 | start[0]
        work hours: with none to start, the floor creates one             | WORK  |                        |                               | 0 | create 1
        work hours: a holiday is not a work day                           | 2026-12-25T09:00:00Z | 0:Deallocated |                  | 0 |
        work hours: neither is Saturday                                   | 2026-11-28T09:00:00Z | 0:Deallocated |                  | 0 |
        work hours: 09:30 in Berlin on the day after the clocks change    | 2026-03-30T07:30:00Z | 0:Deallocated |                  | 0 | start[0]
        seats: four users fill an instance, the headroom asks for another | WORK  | 0:Running 1:Deallocated | 0:ssh:a:1 0:ssh:b:1 0:ssh:c:1 0:ssh:d:1 | 0 | start[1]; protect 0
        seats: never above max                                            | WORK  | 0:Running 1:Running 2:Running | 0:ssh:a:1 0:ssh:b:1 0:ssh:c:1 0:ssh:d:1 0:ssh:e:1 1:ssh:f:1 1:ssh:g:1 1:ssh:h:1 1:ssh:i:1 2:ssh:j:1 2:ssh:k:1 2:ssh:l:1 2:ssh:m:1 | 0 | create 1; protect 0; protect 1; protect 2
        seats: instances on their way count, nothing is asked twice       | WORK  | 0:Running 1:Starting 2:Creating | 0:ssh:a:1 0:ssh:b:1 0:ssh:c:1 0:ssh:d:1 0:ssh:e:1 0:ssh:f:1 0:ssh:g:1 0:ssh:h:1 | 0 | protect 0
        wake: a pool at zero starts one instance for one seat             | NIGHT | 0:Deallocated 1:Deallocated |                          | 1 | start[0]
        wake: eight seats need two                                        | NIGHT | 0:Deallocated          |                               | 8 | start[0]; create 1
        silence: an agent silent for less than twice the timeout is busy  | NIGHT | 0:Running              | 0:silent-45                   | 0 | protect 0
        silence: then idle                                                | NIGHT | 0:Running              | 0:silent-61                   | 0 | deallocate[0]
        silence: a fresh instance whose agent has not reported yet is busy | NIGHT | 0:Running:fresh       |                               | 0 | protect 0
        silence: one that never reported in an hour is idle               | NIGHT | 0:Running              |                               | 0 | deallocate[0]
        idle: not yet for the full timeout, it stays                      | NIGHT | 0:Running              | 0:ssh:alice:20                | 0 | protect 0
        idle: the most idle goes to standby, the next is deleted, the busy one stays | WORK | 0:Running 1:Running 2:Running | 0:ssh:a:1 1:none 2:ssh:b:40 | 0 | deallocate[1]; delete[2]; protect 0
        idle: a woken instance nobody has used yet gets the full timeout   | NIGHT | 0:Running:fresh       | 0:none                        | 0 |
        idle: the last user left 5 minutes ago, the instance stays          | NIGHT | 0:Running              | 0:left-5                      | 0 |
        idle: the last user left 40 minutes ago, it goes                   | NIGHT | 0:Running              | 0:left-40                     | 0 | deallocate[0]
        drain: a busy surplus drains its least-used instance               | WORK  | 0:Running 1:Running 2:Running | 0:ssh:a:1 0:ssh:b:1 1:ssh:c:1 2:ssh:d:1 2:ssh:e:1 | 0 | drain 1; protect 0; protect 1; protect 2
        drain: one per evaluation                                          | WORK  | 0:Running 1:Running 2:Running 3:Running | 0:ssh:a:1 1:ssh:b:1 2:ssh:c:1 3:ssh:d:1 | 0 | drain 0; protect 0; protect 1; protect 2; protect 3
        drain: not when the others would lose the headroom                 | WORK  | 0:Running 1:Running | 0:ssh:a:1 0:ssh:b:1 0:ssh:c:1 1:ssh:d:1 | 0 | protect 0; protect 1
        drain: at night, without headroom, two lone users share            | NIGHT | 0:Running 1:Running | 0:ssh:a:1 1:ssh:b:1          | 0 | drain 0; protect 0; protect 1
        drain: a draining instance is not drained twice                    | NIGHT | 0:Running:pd 1:Running:p | 0:ssh:a:1 1:ssh:b:1      | 0 |
        drain: once its last user has left it goes at once, idle timeout or not | NIGHT | 0:Running:pd 1:Running:p | 0:left-1 1:ssh:b:1 | 0 | deallocate[0]; release 0
        drain: needed again, it is taken back before anything is started   | WORK  | 0:Running:d 1:Running 2:Deallocated | 0:ssh:a:1 1:ssh:b:1 1:ssh:c:1 1:ssh:d:1 1:ssh:e:1 | 0 | undrain 0; protect 0; protect 1
        drain: an idle surplus is not drained, it times out                | WORK  | 0:Running 1:Running 2:Running | 0:ssh:a:1 1:left-5 2:left-6 | 0 | protect 0
        """)
    void rules(String rule, String now, String instances, String reports, int wake, String expected) {
        Instant at = Instant.parse(now.equals("WORK") ? WORK : now.equals("NIGHT") ? NIGHT : now);

        ScalingDecision decision = ScalingPolicy.decide(CONFIG, instances(instances, at), reports(reports, at), at,
                wake);

        assertThat(describe(decision.actions())).as(rule + " (" + decision.summary() + ")")
                .isEqualTo(expected == null ? "" : expected);
    }

    @Test
    void aSilentAgentIsReportedAsAWarning() {
        Instant at = Instant.parse(NIGHT);

        ScalingDecision decision = ScalingPolicy.decide(CONFIG, instances("0:Running", at),
                reports("0:silent-61", at), at, 0);

        assertThat(decision.warnings()).singleElement().asString().contains("instance 0 silent since")
                .endsWith("counted idle");
    }

    @Test
    void theDecisionExplainsItselfAndCountsDistinctUsers() {
        Instant at = Instant.parse(WORK);

        ScalingDecision decision = ScalingPolicy.decide(CONFIG, instances("0:Running 1:Running", at),
                reports("0:ssh:alice:1 0:busy-kernel:alice:100 1:ssh:bob:2", at), at, 0);

        assertThat(decision.activeUsers()).isEqualTo(2);
        assertThat(decision.summary()).isEqualTo("2 active user(s), work hours, target 1 serving instance(s)");
        assertThat(decision.actions()).allSatisfy(action -> assertThat(action.reason()).isNotBlank());
    }

    private static List<Instance> instances(String spec, Instant now) {
        List<Instance> instances = new ArrayList<>();
        if (spec == null) {
            return instances;
        }
        for (String item : spec.trim().split("\\s+")) {
            String[] parts = item.split(":");
            Instant poweredOn = parts.length > 2 && parts[2].equals("fresh") ? now.minus(Duration.ofMinutes(5))
                    : now.minus(Duration.ofHours(2));
            String flags = parts.length > 2 ? parts[2] : "";
            instances.add(new Instance(parts[0], PowerState.valueOf(parts[1]), flags.contains("p"), poweredOn,
                    flags.contains("d")));
        }
        return instances;
    }

    private static Map<String, UsageReport> reports(String spec, Instant now) {
        Map<String, List<UsageReport.Session>> sessions = new HashMap<>();
        Map<String, List<UsageReport.Kernel>> kernels = new HashMap<>();
        Map<String, Instant> reportedAt = new HashMap<>();
        Map<String, Instant> lastActive = new HashMap<>();
        if (spec == null) {
            return Map.of();
        }
        for (String item : spec.trim().split("\\s+")) {
            String[] parts = item.split(":");
            String id = parts[0];
            sessions.putIfAbsent(id, new ArrayList<>());
            kernels.putIfAbsent(id, new ArrayList<>());
            reportedAt.putIfAbsent(id, now.minus(Duration.ofSeconds(30)));
            if (parts[1].startsWith("silent-")) {
                reportedAt.put(id, now.minus(Duration.ofMinutes(Long.parseLong(parts[1].substring(7)))));
            } else if (parts[1].startsWith("left-")) {
                lastActive.put(id, now.minus(Duration.ofMinutes(Long.parseLong(parts[1].substring(5)))));
            } else if (!parts[1].equals("none")) {
                Instant activity = now.minus(Duration.ofMinutes(Long.parseLong(parts[3])));
                switch (parts[1]) {
                    case "ssh" -> sessions.get(id).add(new UsageReport.Session(parts[2], activity));
                    case "busy-kernel" -> kernels.get(id).add(new UsageReport.Kernel(parts[2], true, activity));
                    default -> kernels.get(id).add(new UsageReport.Kernel(parts[2], false, activity));
                }
            }
        }
        Map<String, UsageReport> reports = new HashMap<>();
        reportedAt.forEach((id, at) -> reports.put(id, new UsageReport(id, at, sessions.get(id), kernels.get(id), 5,
                lastActive.get(id))));
        return reports;
    }

    /** Actions in the order decided: {@code start[0, 1]; create 2; deallocate[3]; delete[4]; protect 0; release 1}. */
    static String describe(List<ScalingAction> actions) {
        List<String> parts = new ArrayList<>();
        for (ScalingAction action : actions) {
            if (action instanceof ScalingAction.Start start) {
                parts.add("start" + start.instanceIds());
            } else if (action instanceof ScalingAction.Create create) {
                parts.add("create " + create.count());
            } else if (action instanceof ScalingAction.Deallocate deallocate) {
                parts.add("deallocate" + deallocate.instanceIds());
            } else if (action instanceof ScalingAction.Delete delete) {
                parts.add("delete" + delete.instanceIds());
            } else if (action instanceof ScalingAction.Protect protect) {
                parts.add((protect.protect() ? "protect " : "release ") + protect.instanceId());
            } else if (action instanceof ScalingAction.Drain drain) {
                parts.add((drain.drain() ? "drain " : "undrain ") + drain.instanceId());
            }
        }
        return String.join("; ", parts);
    }
}
