package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;

class BlueprintTest {
    private static final BlueprintSettings SETTINGS = new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE,
            "00000000-0000-0000-0000-00000000e1e1", null, BlueprintSettings.AZURE_ARM);
    private final PoolSpec spec = PoolDocumentsFixture.spec("ml-team");
    private final PoolBlueprint blueprint = Blueprint.of(spec, SETTINGS);

    @Test
    void everythingLivesInTheTaggedResourceGroupOfThePool() {
        assertThat(blueprint.resourceGroup().name()).isEqualTo("dsvmpools-ml-team");
        assertThat(blueprint.resourceGroup().location()).isEqualTo("westeurope");
        assertThat(blueprint.resourceGroup().tags()).containsEntry("dsvmpools-pool", "ml-team");
        assertThat(blueprint.resourceGroup().managed()).isTrue();
    }

    @Test
    void withAUsageQueueTheAgentIsInstalledOnATimerAndMaySendToThatQueueOnly() {
        BlueprintSettings withQueue = new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "sub", null,
                BlueprintSettings.AZURE_ARM, new BlueprintSettings.UsageQueue(
                "https://dpcontrol.queue.core.windows.net/usage-reports", "/subscriptions/sub/resourceGroups/cp"
                + "/providers/Microsoft.Storage/storageAccounts/dpcontrol/queueServices/default/queues/usage-reports"));

        PoolBlueprint withAgent = Blueprint.of(spec, withQueue);

        PoolBlueprint.RoleAssignment role = (PoolBlueprint.RoleAssignment) withAgent.resource(ResourceKey.USAGE_QUEUE_ROLE);
        assertThat(role.scopeId()).endsWith("/queues/usage-reports");
        assertThat(role.roleDefinitionId()).endsWith("/c6a89b2d-59bc-44d0-9896-0f6e12d7b80a");
        assertThat(role.principalKey()).isEqualTo(ResourceKey.SCALE_SET);
        assertThat(withAgent.waves().get(withAgent.waves().size() - 1)).contains(ResourceKey.USAGE_QUEUE_ROLE);
        String cloudInit = CloudInit.render(spec, org.dsvmpools.pool.AzureNames.of(spec.poolName()), withQueue);
        assertThat(cloudInit).contains("/opt/dsvmpools/usage-agent.sh", "dsvmpools-usage.timer")
                .contains("[systemctl, enable, --now, dsvmpools-health.service, dsvmpools-usage.timer]");
        assertThat(withFiles(cloudInit)).as("every run bounded; the probe's responder logs nothing")
                .contains("TimeoutStartSec=50s", "TimeoutStartSec=10min", "StandardError=null");
        assertThat(((PoolBlueprint.LoadBalancer) withAgent.resource(ResourceKey.LOAD_BALANCER)).probe())
                .as("the agent's health endpoint, which a drain fails").isEqualTo(new PoolBlueprint.Probe(false,
                        Blueprint.AGENT_HEALTH_PORT, "/healthy"));
        assertThat(((PoolBlueprint.SecurityGroup) withAgent.resource(ResourceKey.SECURITY_GROUP)).inboundRules())
                .anyMatch(rule -> rule.name().equals("allow-load-balancer-probe")
                        && rule.destinationPort().equals("" + Blueprint.AGENT_HEALTH_PORT));
        assertThat(((PoolBlueprint.LoadBalancer) blueprint.resource(ResourceKey.LOAD_BALANCER)).probe())
                .as("without the agent, JupyterHub's own").isEqualTo(new PoolBlueprint.Probe(true,
                        Blueprint.JUPYTERHUB_PORT, "/hub/health"));
        assertThat(blueprint.resources()).noneMatch(r -> r.key() == ResourceKey.USAGE_QUEUE_ROLE);
        assertThat(CloudInit.render(spec, org.dsvmpools.pool.AzureNames.of(spec.poolName()), SETTINGS))
                .doesNotContain("usage-agent")
                .as("the roster agent needs only the share").contains("/opt/dsvmpools/roster-agent.sh",
                        "[systemctl, enable, --now, dsvmpools-share.timer, dsvmpools-roster.timer]");
    }

    @Test
    void withAUsageEndpointTheAgentReportsOverHttpsAndNoScaleSetMayWriteTheQueue() {
        BlueprintSettings https = new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "sub", null,
                BlueprintSettings.AZURE_ARM, new BlueprintSettings.UsageEndpoint(
                "https://func-dsvmpools.azurewebsites.net/api/usage", "api://dsvmpools-usage"));

        PoolBlueprint blueprint = Blueprint.of(spec, https);

        assertThat(blueprint.resources()).noneMatch(r -> r.key() == ResourceKey.USAGE_QUEUE_ROLE);
        assertThat(((PoolBlueprint.LoadBalancer) blueprint.resource(ResourceKey.LOAD_BALANCER)).probe().port())
                .as("the agent's health, which a drain fails").isEqualTo(Blueprint.AGENT_HEALTH_PORT);
        assertThat(withFiles(CloudInit.render(spec, org.dsvmpools.pool.AzureNames.of(spec.poolName()), https)))
                .contains("ExecStart=/opt/dsvmpools/usage-agent.sh ml-team"
                        + " https://func-dsvmpools.azurewebsites.net/api/usage api://dsvmpools-usage");
    }

    /**
     * Everything on (the usage endpoint, the hub's sign-in, every script), the custom data still fits Azure's
     * 87,380 characters, and the metadata service guard comes first: loaded at boot before the network, and before
     * the roster agent (which makes no account without it) runs.
     */
    @Test
    void withEveryAgentTheCustomDataFitsAzuresLimitAndTheMetadataGuardComesFirst() {
        BlueprintSettings all = new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "sub", null,
                BlueprintSettings.AZURE_ARM, new BlueprintSettings.UsageEndpoint(
                "https://func-dsvmpools.azurewebsites.net/api/usage", "api://dsvmpools-usage"))
                .withHubSignIn(new HubSignIn(HubSignIn.authorityOf("tenant-1"), "app-1",
                        "/subscriptions/sub/resourceGroups/cp/providers/Microsoft.ManagedIdentity"
                                + "/userAssignedIdentities/dsvmpools-hub", "identity-client-1"));
        var vmss = (PoolBlueprint.ScaleSet) Blueprint.of(spec, all).resource(ResourceKey.SCALE_SET);
        String cloudConfig = new String(Base64.getDecoder().decode(vmss.customData()), StandardCharsets.UTF_8);

        assertThat(vmss.customData().length()).isLessThan(CloudInit.CUSTOM_DATA_MAX_CHARS);
        assertThat(cloudConfig).contains("packages: [cifs-utils, nftables]", "path: " + CloudInit.IMDS_GUARD_RULES)
                .containsPattern("runcmd:\n  - \\[systemctl, enable, --now, dsvmpools-imds-guard.service\\]\n");
        String files = withFiles(cloudConfig);
        assertThat(files).contains(new String(CloudInit.resource(CloudInit.IMDS_GUARD_RESOURCE), StandardCharsets.UTF_8),
                        CloudInit.IMDS_GUARD_UNIT, "After=network-online.target remote-fs.target dsvmpools-imds-guard.service")
;
        assertThat(files.split("After=network-online.target", -1).length).as("every unit after the network wants it")
                .isEqualTo(files.split("Wants=network-online.target\nAfter=network-online.target", -1).length)
                .isEqualTo(4);
    }

    @Test
    void withHubSignInTheInstancesCarryTheHubIdentityAndLoadTheProjectsHubConfiguration() {
        String identity = "/subscriptions/sub/resourceGroups/cp/providers/Microsoft.ManagedIdentity"
                + "/userAssignedIdentities/dsvmpools-hub";
        BlueprintSettings signIn = SETTINGS.withHubSignIn(new HubSignIn(HubSignIn.authorityOf("tenant-1"),
                "app-1", identity, "identity-client-1"));

        PoolBlueprint withHub = Blueprint.of(spec, signIn);

        assertThat(((PoolBlueprint.ScaleSet) withHub.resource(ResourceKey.SCALE_SET)).hubIdentityId())
                .isEqualTo(identity);
        assertThat(((PoolBlueprint.ScaleSet) blueprint.resource(ResourceKey.SCALE_SET)).hubIdentityId()).isNull();
        String cloudInit = CloudInit.render(spec, org.dsvmpools.pool.AzureNames.of(spec.poolName()), signIn);
        String files = withFiles(cloudInit);
        assertThat(cloudInit).contains("path: /opt/dsvmpools/hub/dsvmpools_hub.py",
                "path: /etc/dsvmpools/jupyterhub_config.py", "[systemctl, restart, jupyterhub]",
                "load_subconfig('/etc/dsvmpools/jupyterhub_config.py')");
        assertThat(files).contains("c.EntraRosterAuthenticator.client_id = \"app-1\"",
                "c.EntraRosterAuthenticator.identity_client_id = \"identity-client-1\"",
                "c.EntraRosterAuthenticator.authority = \"https://login.microsoftonline.com/tenant-1/v2.0\"",
                "c.EntraRosterAuthenticator.callback_url = \"https://"
                        + org.dsvmpools.pool.AzureNames.of(spec.poolName()).dnsLabel()
                        + ".westeurope.cloudapp.azure.com:8000/hub/oauth_callback\"",
                "c.Spawner.notebook_dir = '~/notebooks'")
                .as("no secret: the hub's client credential is its identity's token").doesNotContain("client_secret");
        assertThat(HubConfig.render(signIn.hubSignIn(), "https://x:8000/hub/oauth_callback", HubConfig.Paths.ON_THE_VM))
                .as("the agents' hub tokens are made on the instance, named here by their files only")
                .doesNotContain("api_token").contains("'dsvmpools-usage': \"/etc/dsvmpools/jupyterhub-token\"");
        assertThat(CloudInit.render(spec, org.dsvmpools.pool.AzureNames.of(spec.poolName()), SETTINGS))
                .as("without sign-in the image's own hub stays as it is").doesNotContain("jupyterhub");
    }

    @Test
    void withTheControlPlanesIdentityItGetsFilesDataAccessOnThePoolsStorageOnly() {
        PoolSpec spec = org.dsvmpools.pool.PoolSpecJson.read(PoolDocumentsFixture.document("ml-team")).spec();
        BlueprintSettings settings = new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "sub", null,
                BlueprintSettings.AZURE_ARM, null, "11111111-2222-3333-4444-555555555555");

        PoolBlueprint blueprint = Blueprint.of(spec, settings);

        PoolBlueprint.RoleAssignment role = (PoolBlueprint.RoleAssignment) blueprint.resource(ResourceKey.FILES_ROLE);
        assertThat(role.principalId()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(role.scopeKey()).isEqualTo(ResourceKey.STORAGE);
        assertThat(role.roleDefinitionId()).endsWith("/69566ab7-960f-475b-8e7c-b3118f30c6bd");
        assertThat(Blueprint.of(spec, new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "sub", null,
                BlueprintSettings.AZURE_ARM)).resources()).noneMatch(r -> r.key() == ResourceKey.FILES_ROLE);
    }

    @Test
    void anExistingResourceGroupNamedInTheSpecIsUsedAndNotManaged() {
        PoolSpec inExisting = org.dsvmpools.pool.PoolSpecJson.read(PoolDocumentsFixture.document("ml-team")
                .put("resourceGroup", "team-shared")).spec();

        PoolBlueprint existing = Blueprint.of(inExisting, SETTINGS);

        assertThat(existing.resourceGroup().name()).isEqualTo("team-shared");
        assertThat(existing.resourceGroup().managed()).isFalse();
        String cloudInit = withFiles(new String(java.util.Base64.getDecoder().decode(
                ((PoolBlueprint.ScaleSet) existing.resource(ResourceKey.SCALE_SET)).customData())));
        assertThat(cloudInit).contains(" team-shared ").doesNotContain("dsvmpools-ml-team");
    }

    @Test
    void sshAndJupyterHubAreOpenOnlyToTheAllowedNetworksAndEverythingElseIsDenied() {
        var nsg = (PoolBlueprint.SecurityGroup) blueprint.resource(ResourceKey.SECURITY_GROUP);

        assertThat(nsg.inboundRules()).filteredOn(PoolBlueprint.SecurityRule::allow)
                .allMatch(rule -> rule.sources().equals(List.of("203.0.113.0/24"))
                        || rule.sources().equals(List.of("AzureLoadBalancer")))
                .extracting(PoolBlueprint.SecurityRule::destinationPort)
                .containsExactlyInAnyOrder("22", "2222", "8000", "8000");
        var lb = (PoolBlueprint.LoadBalancer) blueprint.resource(ResourceKey.LOAD_BALANCER);
        assertThat(lb.sshPort()).as("users' SSH at the pool's address").isEqualTo(22);
        assertThat(lb.adminSshPort()).as("the admin's NAT rule maps to sshd's second port").isEqualTo(2222);
        assertThat(nsg.inboundRules()).last().satisfies(rule -> {
            assertThat(rule.allow()).isFalse();
            assertThat(rule.sources()).containsExactly("*");
        });
    }

    @Test
    void theScaleSetTakesTheSpecsSizeCapacityKeysAndTheDsvmImage() {
        var vmss = (PoolBlueprint.ScaleSet) blueprint.resource(ResourceKey.SCALE_SET);

        assertThat(vmss.vmSize()).isEqualTo("Standard_D4s_v5");
        assertThat(vmss.capacity()).isEqualTo(1);
        assertThat(List.of(vmss.imagePublisher(), vmss.imageOffer(), vmss.imageSku(), vmss.imageVersion()))
                .containsExactly("microsoft-dsvm", "ubuntu-2204", "2204-gen2", "latest");
        assertThat(vmss.sshPublicKeys()).isEqualTo(spec.access().sshPublicKeys());
        assertThat(vmss.adminUsername()).isEqualTo("pooladmin");
    }

    @Test
    void theCustomDataMountsTheSharePersistentlyAndHoldsNoSecret() {
        var vmss = (PoolBlueprint.ScaleSet) blueprint.resource(ResourceKey.SCALE_SET);
        String cloudConfig = new String(Base64.getDecoder().decode(vmss.customData()), StandardCharsets.UTF_8);
        String script = new String(CloudInit.resource("mount-share.sh"), StandardCharsets.UTF_8);

        assertThat(cloudConfig).startsWith("#cloud-config").contains(CloudInit.MOUNT_SCRIPT);
        assertThat(withFiles(cloudConfig)).as("the share's unit, retried by its timer, bounded")
                .contains("ExecStart=" + CloudInit.MOUNT_SCRIPT + " dpmlteam", " pool-data ", " dsvmpools-ml-team ",
                        " pooladmin ", "TimeoutStartSec=3min", "OnUnitInactiveSec=1min")
                .as("pool users' keys from a root-owned file, sshd on the admin's port too")
                .contains(CloudInit.SSHD_KEYS, "Port 22\nPort 2222\n");
        assertThat(cloudConfig).doesNotContainIgnoringCase("password").doesNotContain("AccountKey")
                .doesNotContainIgnoringCase("sig=");
        assertThat(script).contains("nofail").contains("vers=3.1.1").contains("/data/workspace")
                .contains("chmod 600").contains("notebooks/remote").contains("metadata/identity/oauth2/token")
                .contains("--max-time");
        assertThat(vmss.customData().length()).as("custom data limit is 64 KiB").isLessThan(64 * 1024);
    }

    @Test
    void theStorageAccountIsReachableFromThePoolSubnetAndTheControlPlaneOnly() {
        var withControlPlane = Blueprint.of(spec, new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "s",
                "/subscriptions/s/resourceGroups/cp/providers/Microsoft.Network/virtualNetworks/cp/subnets/app",
                BlueprintSettings.AZURE_ARM));
        var storage = (PoolBlueprint.StorageAccount) withControlPlane.resource(ResourceKey.STORAGE);
        var network = (PoolBlueprint.VirtualNetwork) withControlPlane.resource(ResourceKey.NETWORK);

        assertThat(storage.allowPoolSubnet()).isTrue();
        assertThat(storage.largeFileShares()).as("20,000 IOPS for onboarding bursts, not 1,000").isTrue();
        assertThat(storage.controlPlaneSubnetId()).endsWith("/subnets/app");
        assertThat(network.serviceEndpoints()).containsExactly("Microsoft.Storage");
        assertThat(((PoolBlueprint.FileShare) withControlPlane.resource(ResourceKey.SHARE)).quotaGiB()).isEqualTo(1024);
    }

    @Test
    void theScaleSetIdentityMayOnlyListTheKeysOfThePoolsStorageAccount() {
        var role = (PoolBlueprint.RoleAssignment) blueprint.resource(ResourceKey.STORAGE_KEY_ROLE);

        assertThat(role.scopeKey()).isEqualTo(ResourceKey.STORAGE);
        assertThat(role.principalKey()).isEqualTo(ResourceKey.SCALE_SET);
        assertThat(role.roleDefinitionId()).endsWith("/roleDefinitions/" + PoolRole.STORAGE_ACCOUNT_KEY_OPERATOR.id());
        assertThat(role.name()).as("stable across runs, so a retry finds it")
                .isEqualTo(((PoolBlueprint.RoleAssignment) Blueprint.of(spec, SETTINGS).resource(ResourceKey.STORAGE_KEY_ROLE)).name());
    }

    @Test
    void independentResourcesShareAWaveAndTheChainIsFiveDeep() {
        assertThat(blueprint.waves()).containsExactly(
                List.of(ResourceKey.SECURITY_GROUP, ResourceKey.PUBLIC_IP),
                List.of(ResourceKey.NETWORK, ResourceKey.LOAD_BALANCER),
                List.of(ResourceKey.STORAGE),
                List.of(ResourceKey.SHARE),
                List.of(ResourceKey.SCALE_SET),
                List.of(ResourceKey.STORAGE_KEY_ROLE));
    }

    @Test
    void everyPoolCapacityFitsTheSshNatPortRange() {
        assertThat(Blueprint.SSH_NAT_LAST - Blueprint.SSH_NAT_FIRST + 1).isGreaterThanOrEqualTo(100);
    }

    /** cloud-init's "gz+b64": the files are gzipped. */
    private static String gunzipped(byte[] data) {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The cloud-config with the files it writes decoded after it, to read what each unit runs. */
    private static String withFiles(String cloudConfig) {
        StringBuilder all = new StringBuilder(cloudConfig);
        for (String line : cloudConfig.split("\n")) {
            if (line.trim().startsWith("content: ")) {
                all.append('\n').append(gunzipped(Base64.getDecoder().decode(line.trim().substring(9))));
            }
        }
        return all.toString();
    }
}
