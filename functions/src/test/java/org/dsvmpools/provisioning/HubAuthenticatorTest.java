package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The hub authenticator's own unit tests ({@code src/test/python/test_dsvmpools_hub.py}: identity mapping, PKCE,
 * the id token's signature and claims, redirects), run with Debian's python3, which has JupyterHub.
 */
class HubAuthenticatorTest {
    private static final Path MODULE_DIR = Path.of("src/main/resources/org/dsvmpools/provisioning");
    private static final Path TESTS_DIR = Path.of("src/test/python");

    @Test
    void theAuthenticatorsPythonTestsPass() throws IOException, InterruptedException {
        assertThat(Path.of("/usr/bin/jupyterhub")).as("JupyterHub from Debian's package (.ci/run installs it)")
                .exists();
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "unittest", "-v", "test_dsvmpools_hub")
                .directory(TESTS_DIR.toFile()).redirectErrorStream(true);
        builder.environment().put("PYTHONPATH", MODULE_DIR.toAbsolutePath().toString());
        Process python = builder.start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output).containsPattern("Ran (1[5-9]|[2-9]\\d) tests").doesNotContain("skipped");
    }
}
