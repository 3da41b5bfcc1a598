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

        JsonNode results = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(results).as("stdout is the JSON alone: | jq works").hasSize(2);
        assertThat(results.get(0).fieldNames()).toIterable().contains("policy", "instanceHours", "cost", "sessions",
                "waitedSessions", "p50WaitSeconds", "p95WaitSeconds", "maxWaitSeconds", "costVsOracle", "weeks");
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
    void everyBundledTraceAsOneJsonDocumentWithItsWeeks() throws Exception {
        JsonNode all = json("--bundled", "all", "--policy", "dsvmpools", "--policy", "oracle");

        assertThat(all).hasSize(2 * TraceGenerator.BUNDLED.size());
        JsonNode department = java.util.stream.StreamSupport.stream(all.spliterator(), false)
                .filter(r -> r.path("trace").asText().equals("department-3-weeks.csv")
                        && r.path("policy").asText().equals("dsvmpools")).findFirst().orElseThrow();
        assertThat(department.path("weeks")).hasSize(3);
        assertThat(department.path("weeks").get(1).path("start").asText()).isEqualTo("2026-11-09");
        int sessions = 0;
        for (JsonNode week : department.path("weeks")) {
            sessions += week.path("sessions").asInt();
            assertThat(week.fieldNames()).toIterable().contains("waitedSessions", "cost", "costVsOracle");
        }
        assertThat(sessions).isEqualTo(department.path("sessions").asInt());
    }

    /**
     * The forecast learns only from what happened before: two traces equal until a Wednesday noon and different
     * after it give the same decisions until then, and the history does change decisions (unlike the reactive
     * policy's), so the comparison is not vacuous.
     */
    @Test
    void nothingAfterAMomentChangesAnyDecisionBeforeIt() {
        List<TraceSession> trace = TraceGenerator.generate(new TraceGenerator.Shape(40, 2, false, 0, true), 7);
        Instant cut = Instant.parse("2026-11-11T12:00:00Z");
        List<TraceSession> changed = new java.util.ArrayList<>(trace.stream()
                .filter(session -> session.start().isBefore(cut)).toList());
        for (int i = 0; i < 30; i++) {
            changed.add(new TraceSession("late" + i, cut.plusSeconds(3600 + i), cut.plusSeconds(7200)));
        }
        var config = org.dsvmpools.scaling.ScalingConfigs.of(pool("simulate/department-pool.json"));

        List<Simulation.Sample> original = Simulation.run(trace, config, Policies.of("dsvmpools", config), 1,
                p -> { }).samples();
        List<Simulation.Sample> altered = Simulation.run(changed, config, Policies.of("dsvmpools", config), 1,
                p -> { }).samples();
        List<Simulation.Sample> reactive = Simulation.run(trace, config, Policies.of("reactive", config), 1,
                p -> { }).samples();

        assertThat(altered.stream().filter(s -> s.time().isBefore(cut)).toList())
                .isEqualTo(original.stream().filter(s -> s.time().isBefore(cut)).toList());
        assertThat(original.stream().filter(s -> s.time().isBefore(cut)).toList())
                .isNotEqualTo(reactive.stream().filter(s -> s.time().isBefore(cut)).toList());
        assertThat(original).isNotEqualTo(altered);
    }

    /**
     * The arrival path as it is (#29): a user who goes straight to the pool's address is seen only once an instance
     * answers there. At zero, a lone 3 a.m. user at the address is not seen at all, so the reactive policy never
     * starts an instance for them; through the front door they wait only for an instance to start. AVD's users all
     * come through its gateway, whatever the share.
     */
    @Test
    void aUserAtTheAddressOfAPoolAtZeroIsNotSeenAndOneThroughTheFrontDoorWakesIt() {
        var config = org.dsvmpools.scaling.ScalingConfigs.of(pool("simulate/department-pool.json"));
        List<TraceSession> night = List.of(new TraceSession("owl", Instant.parse("2026-11-04T03:00:00Z"),
                Instant.parse("2026-11-04T04:00:00Z")));

        SimulationResult door = Simulation.run(night, config, Policies.of("reactive", config), 1, 1.0, p -> { })
                .result();
        SimulationResult address = Simulation.run(night, config, Policies.of("reactive", config), 1, 0.0, p -> { })
                .result();

        assertThat(door.waitedSessions()).isEqualTo(1);
        assertThat(door.maxWaitSeconds()).isBetween(60.0, 400.0);
        assertThat(address.maxWaitSeconds()).as("never seen: waits to the end of the run").isGreaterThan(3600.0);
        assertThat(address.instanceHours()).isZero();

        List<TraceSession> week = TraceGenerator.generate(new TraceGenerator.Shape(40, 1, false, 0, true), 11);
        SimulationResult avdDoor = Simulation.run(week, config, Policies.of("avd", config), 1, 1.0, p -> { }).result();
        SimulationResult avdAddress = Simulation.run(week, config, Policies.of("avd", config), 1, 0.0, p -> { })
                .result();
        assertThat(avdAddress).as("AVD's gateway is its door").isEqualTo(avdDoor);
        SimulationResult oursAll = Simulation.run(week, config, Policies.of("dsvmpools", config), 1, 1.0, p -> { })
                .result();
        SimulationResult oursNone = Simulation.run(week, config, Policies.of("dsvmpools", config), 1, 0.0, p -> { })
                .result();
        assertThat(oursNone.waitedSessions()).isGreaterThanOrEqualTo(oursAll.waitedSessions());
        assertThat(oursNone.p95WaitSeconds()).isGreaterThanOrEqualTo(oursAll.p95WaitSeconds());
    }

    @Test
    void theFrontDoorsShareSplitsSessionsRepeatablyAndAShareOutsideZeroToOneIsRefused() {
        List<TraceSession> week = TraceGenerator.generate(new TraceGenerator.Shape(40, 1, false, 0, true), 11);

        long half = week.stream().filter(session -> Simulation.throughTheDoor(session, 0.5)).count();

        assertThat((double) half / week.size()).isBetween(0.4, 0.6);
        assertThat(week).noneMatch(session -> Simulation.throughTheDoor(session, 0.0))
                .allMatch(session -> Simulation.throughTheDoor(session, 1.0));
        assertThat(week.stream().filter(session -> Simulation.throughTheDoor(session, 0.5)).count()).isEqualTo(half);
        var config = org.dsvmpools.scaling.ScalingConfigs.of(pool("simulate/department-pool.json"));
        assertThatThrownBy(() -> Simulation.run(week, config, Policies.of("avd", config), 1, 1.5, p -> { }))
                .hasMessageContaining("between 0 and 1");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThatThrownBy(() -> SimulateCommand.run(new String[] {"--bundled", "class-burst.csv", "--front-door",
                "most"}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), false))
                .hasMessageContaining("--front-door takes the share of users");
    }

    private static org.dsvmpools.pool.PoolSpec pool(String resource) {
        try (var in = SimulatorTest.class.getClassLoader().getResourceAsStream(resource)) {
            return org.dsvmpools.pool.PoolSpecJson.read(new ObjectMapper().readTree(in)).spec();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
                .hasMessageContaining("Unknown options: '--policies'").hasMessageContaining("did you mean --pool or --policy?")
                .hasMessageContaining("./dsvmpools simulate --help");
        assertThatThrownBy(() -> json("--bundled", "class-burst.csv", "--price", "cheap"))
                .hasMessageContaining("--price").hasMessageContaining("'cheap'");
    }

    @Test
    void helpListsEveryFlagTheParserTakesWithAnExample() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SimulateCommand.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
                false);

        String help = out.toString(StandardCharsets.UTF_8);
        for (String flag : List.of("--bundled", "--sessions", "--logons", "--pool", "--policy", "--price", "--wake",
                "--front-door", "--json", "--plot", "--generate", "--help")) {
            assertThat(help).contains(flag);
        }
        // The lists come from the code: a new trace or policy is in the help without anyone editing it (#30).
        TraceGenerator.BUNDLED.forEach(bundled -> assertThat(help).contains(bundled.file()));
        Policies.NAMES.forEach(policy -> assertThat(help).contains(policy));
        assertThat(help).contains("department-3-weeks.csv").contains("reactive")
                .contains("example: ./dsvmpools simulate --bundled");
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
