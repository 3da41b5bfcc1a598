package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The scripts the VMs run pass shellcheck. CI installs shellcheck (Debian package) and must run this; on a
 * developer machine without it the test is skipped, saying so.
 */
class ShellScriptsTest {

    @Test
    void theMountScriptPassesShellcheck() throws Exception {
        assertPassesShellcheck("mount-share.sh");
    }

    @Test
    void theUsageAgentPassesShellcheck() throws Exception {
        assertPassesShellcheck("usage-agent.sh");
    }

    @Test
    void theRosterAgentPassesShellcheck() throws Exception {
        assertPassesShellcheck("roster-agent.sh");
    }

    private static void assertPassesShellcheck(String name) throws Exception {
        boolean installed = Files.isExecutable(Paths.get("/usr/bin/shellcheck"));
        if (System.getenv("CI") == null) {
            assumeTrue(installed, "shellcheck is not installed (apt-get install shellcheck); CI runs this check");
        }
        Path script = Files.createTempFile(name, ".sh");
        Files.write(script, CloudInit.resource(name));

        Process shellcheck = new ProcessBuilder("shellcheck", "--shell=bash", "--severity=style", script.toString())
                .redirectErrorStream(true).start();
        String output = new String(shellcheck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(shellcheck.waitFor()).as(output).isZero();
    }
}
