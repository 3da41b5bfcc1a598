package org.dsvmpools.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * azd's hooks: predown refuses to delete the control plane while pools exist; postdeploy provisions once more
 * after the first deploy. The Azure CLI and azd are stand-ins here that answer as they do (the hooks' logic is
 * what is under test).
 */
class AzdHooksTest {
    private static final Path HOOK = BicepOutline.INFRA.resolve("hooks/predown.sh");
    private static final Path POSTDEPLOY = BicepOutline.INFRA.resolve("hooks/postdeploy.sh");
    private static final Path PREPROVISION = BicepOutline.INFRA.resolve("hooks/preprovision.sh");

    @TempDir
    Path dir;

    private record Run(int exit, String output, String azCalls) {
    }

    private Run run(Map<String, String> environment, String pools, boolean tableFails) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path az = bin.resolve("az");
        Files.writeString(az, String.join("\n", "#!/bin/sh",
                "echo \"$*\" >> \"" + dir.resolve("az-calls") + "\"",
                "case \"$*\" in",
                "  'storage account list'*) echo stdsvmpoolsabc ;;",
                "  'storage entity query'*) " + (tableFails ? "echo 'ERROR: AuthorizationPermissionMismatch' >&2; exit 1"
                        : "printf '%s' \"$FAKE_POOLS\"") + " ;;",
                "esac", ""));
        az.toFile().setExecutable(true);
        ProcessBuilder builder = new ProcessBuilder("sh", HOOK.toString()).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("FAKE_POOLS", pools);
        builder.environment().remove("AZURE_RESOURCE_GROUP");
        builder.environment().remove("DSVMPOOLS_DOWN_WITH_POOLS");
        builder.environment().putAll(environment);
        Process hook = builder.start();
        String output = new String(hook.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(hook.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path calls = dir.resolve("az-calls");
        return new Run(hook.exitValue(), output, Files.exists(calls) ? Files.readString(calls) : "");
    }

    @Test
    void poolsThatStillExistStopAzdDownAndAreNamed() throws Exception {
        Run run = run(Map.of("AZURE_RESOURCE_GROUP", "rg-dsvmpools-dev"), "ml-team\tReady\nvision\tFailed\n", false);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("  ml-team (Ready)", "  vision (Failed)", "DSVMPOOLS_DOWN_WITH_POOLS=yes");
        assertThat(run.azCalls()).contains("--resource-group rg-dsvmpools-dev", "--account-name stdsvmpoolsabc",
                "--auth-mode login", "--table-name pools", "Status ne 'Deleted'");
    }

    @Test
    void withoutPoolsOrWithTheExplicitFlagItGoesAhead() throws Exception {
        assertThat(run(Map.of("AZURE_RESOURCE_GROUP", "rg"), "", false).exit()).isZero();
        Run forced = run(Map.of("AZURE_RESOURCE_GROUP", "rg", "DSVMPOOLS_DOWN_WITH_POOLS", "yes"), "ml-team\tReady\n",
                false);
        assertThat(forced.exit()).isZero();
        assertThat(forced.output()).contains("ml-team (Ready)", "delete their resource groups yourself");
    }

    @Test
    void whenThePoolsCannotBeListedItRefusesRatherThanGuess() throws Exception {
        Run unreadable = run(Map.of("AZURE_RESOURCE_GROUP", "rg"), "", true);
        assertThat(unreadable.exit()).isEqualTo(1);
        assertThat(unreadable.output()).contains("could not be read; refusing");
        assertThat(run(Map.of(), "", false).exit()).isEqualTo(1);
    }

    @Test
    void afterTheFirstDeployTheOnboardingSubscriptionIsProvisionedOnceAndNeverAgain() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("azd-bin"));
        Path azd = bin.resolve("azd");
        Files.writeString(azd, "#!/bin/sh\necho \"$*\" >> \"" + dir.resolve("azd-calls") + "\"\n");
        azd.toFile().setExecutable(true);

        for (String setting : new String[] {null, "true"}) {
            ProcessBuilder builder = new ProcessBuilder("sh", POSTDEPLOY.toString()).redirectErrorStream(true);
            builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
            builder.environment().remove("DSVMPOOLS_ONBOARDING_SUBSCRIPTION");
            if (setting != null) {
                builder.environment().put("DSVMPOOLS_ONBOARDING_SUBSCRIPTION", setting);
            }
            Process hook = builder.start();
            hook.getInputStream().readAllBytes();
            assertThat(hook.waitFor()).isZero();
        }

        assertThat(Files.readAllLines(dir.resolve("azd-calls"))).containsExactly(
                "env set DSVMPOOLS_ONBOARDING_SUBSCRIPTION true", "provision --no-prompt");
    }

    @Test
    void theHooksPassShellcheck() throws IOException, InterruptedException {
        if (System.getenv("CI") == null) {
            assumeTrue(Files.isExecutable(Paths.get("/usr/bin/shellcheck")), "shellcheck is not installed");
        }
        Process shellcheck = new ProcessBuilder("shellcheck", "--shell=sh", "--severity=style", HOOK.toString(),
                POSTDEPLOY.toString(), PREPROVISION.toString()).redirectErrorStream(true).start();
        String output = new String(shellcheck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shellcheck.waitFor()).as(output).isZero();
    }

    private Run preprovision(Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("sh", PREPROVISION.toString()).redirectErrorStream(true);
        for (String name : new String[] {"DSVMPOOLS_VNET_ENABLED", "DSVMPOOLS_USAGE_QUEUE_ENABLED",
                "DSVMPOOLS_USAGE_CLIENT_ID", "DSVMPOOLS_AUTH_CLIENT_ID"}) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(environment);
        Process hook = builder.start();
        String output = new String(hook.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(hook.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(hook.exitValue(), output, "");
    }

    /** The VNet's firewall keeps VMs off the queue: without an audience for their tokens they would go unheard. */
    @Test
    void withTheVnetProvisioningNeedsTheUsageAudienceAndOneThatIsNotTheApis() throws Exception {
        Run refused = preprovision(Map.of());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.output()).contains("set DSVMPOOLS_USAGE_CLIENT_ID", "DSVMPOOLS_VNET_ENABLED=false");

        assertThat(preprovision(Map.of("DSVMPOOLS_USAGE_CLIENT_ID", "u-1")).output()).contains("over HTTPS");
        assertThat(preprovision(Map.of("DSVMPOOLS_VNET_ENABLED", "false")).output()).contains("over the queue");
        Run same = preprovision(Map.of("DSVMPOOLS_USAGE_CLIENT_ID", "a-1", "DSVMPOOLS_AUTH_CLIENT_ID", "a-1"));
        assertThat(same.exit()).isEqualTo(1);
        assertThat(same.output()).contains("must differ");
    }
}
