package org.dsvmpools.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {
    @TempDir
    Path dir;

    @Test
    void aSessionTraceIsReadInStartOrderAndABadLineIsNamed() throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "user,start,end\nbob,2026-11-02T10:00:00Z,2026-11-02T11:00:00Z\n"
                + "alice,2026-11-02T09:00:00Z,2026-11-02T09:30:00Z\n");
        assertThat(Traces.readSessions(csv)).extracting(TraceSession::user).containsExactly("alice", "bob");

        Files.writeString(csv, "user,start,end\nbob,yesterday,2026-11-02T11:00:00Z\n");
        assertThatThrownBy(() -> Traces.readSessions(csv)).hasMessageContaining("line 2")
                .hasMessageContaining("not an ISO-8601 instant");
    }

    @Test
    void logonLogoffEventsBecomeSessionsAndAnUnclosedOneEndsWithTheLog() throws Exception {
        Path log = dir.resolve("events.csv");
        Files.writeString(log, "time,user,event\n"
                + "2026-11-02T08:00:00Z,alice,Logon\n"
                + "2026-11-02T08:10:00Z,bob,Logoff\n"
                + "2026-11-02T08:30:00Z,bob,Logon\n"
                + "2026-11-02T09:00:00Z,alice,Logoff\n"
                + "2026-11-02T10:00:00Z,carol,Logon\n"
                + "2026-11-02T12:00:00Z,alice,Logon\n"
                + "2026-11-02T12:30:00Z,alice,Logoff\n");

        List<TraceSession> sessions = Traces.fromLogonEvents(log);

        assertThat(sessions).containsExactly(
                new TraceSession("alice", Instant.parse("2026-11-02T08:00:00Z"), Instant.parse("2026-11-02T09:00:00Z")),
                new TraceSession("bob", Instant.parse("2026-11-02T08:30:00Z"), Instant.parse("2026-11-02T12:30:00Z")),
                new TraceSession("carol", Instant.parse("2026-11-02T10:00:00Z"), Instant.parse("2026-11-02T12:30:00Z")),
                new TraceSession("alice", Instant.parse("2026-11-02T12:00:00Z"), Instant.parse("2026-11-02T12:30:00Z")));
    }

    @Test
    void theBundledTracesAreWhatTheSeededGeneratorMakes() throws Exception {
        for (TraceGenerator.Bundled bundled : TraceGenerator.BUNDLED) {
            assertThat(SimulateCommand.bundledTrace(bundled.file())).as(bundled.file())
                    .isEqualTo(TraceGenerator.generate(bundled.shape(), bundled.seed()));
        }
        assertThat(TraceGenerator.generate(new TraceGenerator.Shape(5, 1, true, 1), 9))
                .isEqualTo(TraceGenerator.generate(new TraceGenerator.Shape(5, 1, true, 1), 9))
                .isNotEqualTo(TraceGenerator.generate(new TraceGenerator.Shape(5, 1, true, 1), 10));
    }

    @Test
    void theClassBurstBringsThirtyUsersWithinFiveMinutes() {
        List<TraceSession> trace = TraceGenerator.generate(new TraceGenerator.Shape(0, 1, true, 0), 2);

        assertThat(trace).hasSize(30);
        assertThat(java.time.Duration.between(trace.get(0).start(), trace.get(29).start()))
                .isLessThanOrEqualTo(java.time.Duration.ofMinutes(5));
    }

    @Test
    void onTheOfficeTraceNoPolicyBeatsTheOracleAndOursNeverStopsAVmSomeoneUses() throws Exception {
        JsonNode results = json("--bundled", "office-2-weeks.csv");

        double oracle = byPolicy(results, "oracle").path("cost").asDouble();
        for (JsonNode result : results) {
            assertThat(result.path("cost").asDouble()).as(result.path("policy").asText())
                    .isGreaterThanOrEqualTo(oracle);
            assertThat(result.path("sessions").asInt()).isEqualTo(445);
        }
        JsonNode ours = byPolicy(results, "dsvmpools");
        assertThat(ours.path("interruptedSessions").asInt()).isZero();
        assertThat(ours.path("cost").asDouble()).isLessThan(byPolicy(results, "always-on").path("cost").asDouble());
        assertThat(byPolicy(results, "always-on").path("waitedSessions").asInt()).isZero();
        assertThat(byPolicy(results, "cpu-autoscale").path("interruptedSessions").asInt())
                .as("the scale set's default scale-in removes the highest id, in use or not").isPositive();
    }

    @Test
    void jsonCarriesTheDocumentedFieldsAndThePlotIsAPng() throws Exception {
        Path png = dir.resolve("plot.png");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SimulateCommand.run(new String[] {"--bundled", "overnight-jobs.csv", "--policy", "dsvmpools", "--policy",
            "oracle", "--json", "--plot", png.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err, false);

        String text = out.toString(StandardCharsets.UTF_8);
        JsonNode results = new ObjectMapper().readTree(text.substring(0, text.lastIndexOf(']') + 1));
        assertThat(results).hasSize(2);
        assertThat(results.get(0).fieldNames()).toIterable().contains("policy", "instanceHours", "cost", "sessions",
                "waitedSessions", "p50WaitSeconds", "p95WaitSeconds", "maxWaitSeconds", "costVsOracle");
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void aWakeBeforeTheClassSeatsTheStudentsThatAReactivePolicyMakesWait() throws Exception {
        JsonNode reactive = byPolicy(json("--bundled", "class-burst.csv", "--policy", "dsvmpools"), "dsvmpools");
        JsonNode woken = byPolicy(json("--bundled", "class-burst.csv", "--policy", "dsvmpools", "--policy", "avd",
                "--wake", "2026-11-04T13:50:00+01:00=32"), "dsvmpools");

        assertThat(reactive.path("waitedSessions").asInt()).as("30 students within 5 minutes").isGreaterThan(20);
        assertThat(woken.path("waitedSessions").asInt()).isLessThan(reactive.path("waitedSessions").asInt() / 4);
        assertThat(woken.path("p95WaitSeconds").asDouble()).isZero();
    }

    @Test
    void badOptionsAreRefusedWithAReason() {
        assertThatThrownBy(() -> json("--bundled", "class-burst.csv", "--wake", "tomorrow"))
                .hasMessageContaining("--wake takes TIME=SEATS");
        assertThatThrownBy(() -> json("--bundled", "office-2-weeks.csv", "--policy", "magic"))
                .hasMessageContaining("unknown policy 'magic'");
        assertThatThrownBy(() -> json("--policy", "oracle")).hasMessageContaining("exactly one of --sessions");
        assertThatThrownBy(() -> json("--bundled", "nope.csv")).hasMessageContaining("no bundled resource");
        assertThatThrownBy(() -> json("--bundled", "class-burst.csv", "--policies", "avd"))
                .hasMessageContaining("unknown option --policies; valid: --bundled");
    }

    @Test
    void helpListsEveryFlagTheParserTakesWithAnExample() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SimulateCommand.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
                false);

        String help = out.toString(StandardCharsets.UTF_8);
        for (String flag : List.of("--bundled", "--sessions", "--logons", "--pool", "--policy", "--price", "--wake",
                "--json", "--plot", "--generate", "--help")) {
            assertThat(help).contains("  " + flag + " ");
        }
        assertThat(help).contains("example: ./dsvmpools simulate --bundled");
    }

    private static JsonNode json(String... args) throws Exception {
        String[] withJson = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of(
                "--json")).toArray(String[]::new);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SimulateCommand.run(withJson, new PrintStream(out, true, StandardCharsets.UTF_8), System.err, false);
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode byPolicy(JsonNode results, String policy) {
        for (JsonNode result : results) {
            if (result.path("policy").asText().equals(policy)) {
                return result;
            }
        }
        throw new AssertionError("no result for " + policy);
    }
}
