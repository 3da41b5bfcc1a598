package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.scaling.UsageReport;
import org.dsvmpools.scaling.UsageReportJson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM agent run against stubbed system commands ({@code who}, {@code curl}, {@code sleep}) and a stand-in
 * {@code /proc/stat} and {@code /run}: what it would send is read back by the control plane's own parser, so
 * agent and ingestion cannot drift apart, and the health file the load balancer probes is checked on disk.
 */
class UsageAgentScriptTest {
    private static final String TWO_SESSIONS = "echo 'alice    pts/0        2026-11-27 09:00   .          1234 (203.0.113.9)'\n"
            + "echo 'bob      pts/1        2026-11-27 08:00 01:30       2345 (203.0.113.10)'\n"
            + "echo 'Mallory  pts/2        2026-11-27 08:00   .          3456 (203.0.113.11)'";
    /** The instance booted an hour ago. */
    private static final Instant BOOT = SystemClock.now().minus(Duration.ofHours(1));

    @TempDir
    Path dir;
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();

    @BeforeEach
    void stubs() throws Exception {
        stub("sleep", "true");
        Files.createDirectories(dir.resolve("proc"));
        Files.writeString(dir.resolve("proc/stat"), "cpu  10 0 10 80 0 0 0 0 0 0\nbtime " + BOOT.getEpochSecond() + "\n");
        userData(null);
        // The share is mounted while share-mounted exists, and the roster agent has just applied the manifest.
        stub("mountpoint", "[ -e '" + dir.resolve("share-mounted") + "' ]");
        Files.createFile(dir.resolve("share-mounted"));
        Files.createDirectories(dir.resolve("run"));
        Files.createFile(dir.resolve("run/roster-ok"));
    }

    private void stub(String name, String body) throws Exception {
        Path file = dir.resolve("bin").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** What the metadata service answers for the instance's user data (null: none set). */
    private void userData(String json) throws Exception {
        String encoded = json == null ? "" : Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        stub("curl", "echo \"$*\" >> '" + dir.resolve("curl.log") + "'\n"
                // What curl reads as its configuration on its standard input: headers with the token.
                + "case \" $* \" in *' --config - '*) cat >> '" + dir.resolve("curl-stdin.log") + "' ;; esac\n"
                + "case \"$*\" in\n"
                + "  *compute/name*) printf 'dsvm-vmss_3' ;;\n"
                + "  *compute/userData*) printf '" + encoded + "' ;;\n"
                + "  *hub/health*) exit 0 ;;\n"
                + "  *oauth2/token*) printf '{\"access_token\":\"tok-from-imds\",\"expires_in\":\"3599\"}' ;;\n"
                + "  *--data*) for a in \"$@\"; do case \"$a\" in '<QueueMessage>'*) printf '%s' \"$a\" > '"
                + dir.resolve("sent.xml") + "' ;; '{\"v\":1'*) printf '%s' \"$a\" > '" + dir.resolve("sent.json")
                + "' ;; esac; done ;;\n"
                + "esac");
    }

    private UsageReport runAgent(String who) throws Exception {
        runScript(who, "https://dpcontrol.queue.core.windows.net/usage-reports");
        String sent = Files.readString(dir.resolve("sent.xml"));
        String message = new String(Base64.getDecoder().decode(sent.replace("<QueueMessage><MessageText>", "")
                .replace("</MessageText></QueueMessage>", "")), StandardCharsets.UTF_8);
        UsageReportJson.Received received = UsageReportJson.read(message, SystemClock.now());
        assertThat(received.pool().value()).isEqualTo("ml-team");
        return received.report();
    }

    @Test
    void withAnAudienceTheReportGoesOverHttpsWithTheIdentitysTokenForThatAudience() throws Exception {
        runScript(TWO_SESSIONS, "https://func-dsvmpools.azurewebsites.net/api/usage", "api://dsvmpools-usage");

        UsageReportJson.Received received = UsageReportJson.read(Files.readString(dir.resolve("sent.json")),
                SystemClock.now());
        assertThat(received.pool().value()).isEqualTo("ml-team");
        assertThat(received.report().sessions()).extracting(UsageReport.Session::user).containsExactly("alice", "bob");
        List<String> calls = Files.readAllLines(dir.resolve("curl.log"));
        assertThat(calls).anyMatch(call -> call.contains("resource=api%3A%2F%2Fdsvmpools-usage"));
        assertThat(calls).anyMatch(call -> call.contains("Content-Type: application/json")
                && call.endsWith("https://func-dsvmpools.azurewebsites.net/api/usage"));
        assertThat(calls).as("no token on a command line").noneMatch(call -> call.contains("tok-from-imds"));
        assertThat(Files.readString(dir.resolve("curl-stdin.log")))
                .contains("header = \"Authorization: Bearer tok-from-imds\"");
        assertThat(calls).noneMatch(call -> call.contains("storage.azure.com") || call.contains("/messages"));
        assertThat(Files.exists(dir.resolve("sent.xml"))).isFalse();
    }

    /** One run of the agent for pool {@code ml-team}, reporting to {@code target} (and audience), on the stubs. */
    private void runScript(String who, String... target) throws Exception {
        stub("who", who);
        Path script = dir.resolve("usage-agent.sh");
        Files.write(script, CloudInit.resource("usage-agent.sh"));
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString(), "ml-team"));
        command.addAll(List.of(target));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("DSVMPOOLS_HUB_TOKEN_FILE", dir.resolve("no-token").toString());
        builder.environment().put("DSVMPOOLS_STATE_DIR", dir.resolve("run").toString());
        builder.environment().put("DSVMPOOLS_PROC", dir.resolve("proc").toString());
        builder.environment().put("DSVMPOOLS_RUN_DIR", dir.resolve("run").toString());
        builder.environment().put("DSVMPOOLS_SHARE_ROOT", dir.resolve("share").toString());
        builder.environment().putAll(environment);
        Process run = builder.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor()).as(output).isZero();
    }

    private boolean healthy() {
        return Files.exists(dir.resolve("run/health/healthy"));
    }

    @Test
    void theAgentReportsItsSessionsWithTheManagedIdentitysTokenAndNoSecretOfItsOwn() throws Exception {
        Instant before = SystemClock.now();

        UsageReport report = runAgent(TWO_SESSIONS);

        assertThat(report.instanceId()).isEqualTo("3");
        assertThat(report.sessions()).extracting(UsageReport.Session::user).containsExactly("alice", "bob");
        assertThat(report.sessions().get(0).lastActivity()).isAfterOrEqualTo(before.minusSeconds(2));
        assertThat(Duration.between(report.sessions().get(1).lastActivity(), SystemClock.now()))
                .isBetween(Duration.ofMinutes(89), Duration.ofMinutes(92));
        assertThat(report.sessions().get(0).since()).as("the login time, read in the VM's zone")
                .isEqualTo(java.time.LocalDateTime.parse("2026-11-27T09:00").atZone(java.time.ZoneId.systemDefault())
                        .toInstant());
        assertThat(report.kernels()).isEmpty();
        List<String> calls = Files.readAllLines(dir.resolve("curl.log"));
        assertThat(calls).anyMatch(call -> call.endsWith("https://dpcontrol.queue.core.windows.net/usage-reports/messages"));
        assertThat(calls).as("no token on a command line").noneMatch(call -> call.contains("tok-from-imds"));
        assertThat(Files.readString(dir.resolve("curl-stdin.log")))
                .isEqualTo("header = \"Authorization: Bearer tok-from-imds\"\n");
        assertThat(calls).anyMatch(call -> call.contains("resource=https%3A%2F%2Fstorage.azure.com%2F"));
    }

    /** who prints the login in the VM's zone: 09:00 in Tokyo (UTC+9) is midnight UTC, whatever the zone. */
    @Test
    void theLoginTimeIsReadInTheVmsZoneNotAsUtc() throws Exception {
        environment.put("TZ", "JST-9");

        UsageReport report = runAgent(TWO_SESSIONS);

        assertThat(report.sessions().get(0).since()).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
    }

    @Test
    void afterTheLastUserHasLeftTheAgentStillReportsWhenTheInstanceWasLastActive() throws Exception {
        UsageReport withUsers = runAgent(TWO_SESSIONS);
        assertThat(Duration.between(withUsers.lastActiveAt(), withUsers.sessions().get(0).lastActivity()).abs())
                .isLessThanOrEqualTo(Duration.ofSeconds(2));

        UsageReport empty = runAgent("true");

        assertThat(empty.sessions()).isEmpty();
        assertThat(empty.lastActiveAt()).isEqualTo(withUsers.lastActiveAt());
    }

    @Test
    void anInstanceNobodyHasUsedSinceBootReportsNoLastActivity() throws Exception {
        assertThat(runAgent("true").lastActiveAt()).isNull();
    }

    @Test
    void theHealthFileIsThereUntilTheScalerDrainsTheInstance() throws Exception {
        runAgent(TWO_SESSIONS);
        assertThat(healthy()).as("no user data: in rotation").isTrue();

        userData("{\"dsvmpools\":{\"drainedAt\":\"" + SystemClock.now().minusSeconds(30) + "\"}}");
        runAgent(TWO_SESSIONS);
        assertThat(healthy()).as("drained after boot: out of rotation").isFalse();

        userData("{\"dsvmpools\":{\"drainedAt\":\"" + BOOT.minus(Duration.ofHours(5)) + "\"}}");
        runAgent(TWO_SESSIONS);
        assertThat(healthy()).as("a drain from before the boot is stale").isTrue();

        userData("{\"dsvmpools\":{}}");
        runAgent(TWO_SESSIONS);
        assertThat(healthy()).as("drain lifted").isTrue();
    }

    @Test
    void anUnhealthyJupyterHubTakesTheInstanceOutOfRotation() throws Exception {
        runAgent(TWO_SESSIONS);
        assertThat(healthy()).isTrue();
        Path curl = dir.resolve("bin/curl");
        Files.writeString(curl, Files.readString(curl).replace("*hub/health*) exit 0", "*hub/health*) exit 7"));

        runAgent(TWO_SESSIONS);

        assertThat(healthy()).isFalse();
    }

    @Test
    void withoutTheShareOrARecentRosterRunTheInstanceIsOutOfRotation() throws Exception {
        runAgent(TWO_SESSIONS);
        assertThat(healthy()).isTrue();

        Files.delete(dir.resolve("share-mounted"));
        runAgent(TWO_SESSIONS);
        assertThat(healthy()).as("share not mounted").isFalse();

        Files.createFile(dir.resolve("share-mounted"));
        Files.setLastModifiedTime(dir.resolve("run/roster-ok"),
                java.nio.file.attribute.FileTime.from(SystemClock.now().minus(Duration.ofMinutes(6))));
        runAgent(TWO_SESSIONS);
        assertThat(healthy()).as("roster not applied for six minutes").isFalse();

        Files.setLastModifiedTime(dir.resolve("run/roster-ok"), java.nio.file.attribute.FileTime.from(SystemClock.now()));
        runAgent(TWO_SESSIONS);
        assertThat(healthy()).isTrue();
    }
}
