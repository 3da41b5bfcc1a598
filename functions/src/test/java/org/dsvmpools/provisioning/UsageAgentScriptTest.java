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
import org.dsvmpools.scaling.UsageReport;
import org.dsvmpools.scaling.UsageReportJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VM agent run against stubbed system commands ({@code who}, {@code curl}, {@code sleep}): what it would
 * send is read back by the control plane's own parser, so agent and ingestion cannot drift apart.
 */
class UsageAgentScriptTest {
    @TempDir
    Path dir;

    private void stub(String name, String body) throws Exception {
        Path file = dir.resolve("bin").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theAgentReportsItsSessionsWithTheManagedIdentitysTokenAndNoSecretOfItsOwn() throws Exception {
        stub("who", "echo 'alice    pts/0        2026-11-27 09:00   .          1234 (203.0.113.9)'\n"
                + "echo 'bob      pts/1        2026-11-27 08:00 01:30       2345 (203.0.113.10)'\n"
                + "echo 'Mallory  pts/2        2026-11-27 08:00   .          3456 (203.0.113.11)'");
        stub("sleep", "true");
        stub("curl", "echo \"$*\" >> '" + dir.resolve("curl.log") + "'\n"
                + "case \"$*\" in\n"
                + "  *compute/name*) printf 'dsvm-vmss_3' ;;\n"
                + "  *oauth2/token*) printf '{\"access_token\":\"tok-from-imds\",\"expires_in\":\"3599\"}' ;;\n"
                + "  *--data*) for a in \"$@\"; do case \"$a\" in '<QueueMessage>'*) printf '%s' \"$a\" > '"
                + dir.resolve("sent.xml") + "' ;; esac; done ;;\n"
                + "esac");
        Path script = dir.resolve("usage-agent.sh");
        Files.write(script, CloudInit.resource("usage-agent.sh"));
        Instant before = Instant.now();

        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "ml-team",
                "https://dpcontrol.queue.core.windows.net/usage-reports").redirectErrorStream(true);
        builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("DSVMPOOLS_HUB_TOKEN_FILE", dir.resolve("no-token").toString());
        Process run = builder.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(run.waitFor()).as(output).isZero();
        String sent = Files.readString(dir.resolve("sent.xml"));
        String message = new String(Base64.getDecoder().decode(sent.replace("<QueueMessage><MessageText>", "")
                .replace("</MessageText></QueueMessage>", "")), StandardCharsets.UTF_8);
        UsageReportJson.Received received = UsageReportJson.read(message, Instant.now());
        assertThat(received.pool().value()).isEqualTo("ml-team");
        assertThat(received.report().instanceId()).isEqualTo("3");
        assertThat(received.report().sessions()).extracting(UsageReport.Session::user).containsExactly("alice", "bob");
        assertThat(received.report().sessions().get(0).lastActivity()).isAfterOrEqualTo(before.minusSeconds(2));
        assertThat(Duration.between(received.report().sessions().get(1).lastActivity(), Instant.now()))
                .isBetween(Duration.ofMinutes(89), Duration.ofMinutes(92));
        assertThat(received.report().kernels()).isEmpty();
        List<String> calls = Files.readAllLines(dir.resolve("curl.log"));
        assertThat(calls).anyMatch(call -> call.contains("Authorization: Bearer tok-from-imds")
                && call.endsWith("https://dpcontrol.queue.core.windows.net/usage-reports/messages"));
        assertThat(calls).anyMatch(call -> call.contains("resource=https%3A%2F%2Fstorage.azure.com%2F"));
    }
}
