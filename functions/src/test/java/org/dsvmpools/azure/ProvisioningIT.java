package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.storage.fluent.models.StorageAccountInner;
import com.azure.resourcemanager.storage.models.StorageAccountKey;
import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dsvmpools.azure.ArmCloudResources;
import org.dsvmpools.azure.StorageClients;
import org.dsvmpools.azure.StorageQueueWorkQueue;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.azure.WorkerDriver;
import org.dsvmpools.emulator.AzureEmulator;
import org.dsvmpools.emulator.RequestLog;
import org.dsvmpools.kit.SamplePools;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolIntake;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.ResourceState;
import org.dsvmpools.pool.WorkItem;
import org.dsvmpools.pool.WorkItemJson;
import org.dsvmpools.provisioning.BlueprintSettings;
import org.dsvmpools.provisioning.CloudResources;
import org.dsvmpools.provisioning.Observation;
import org.dsvmpools.provisioning.PoolBlueprint;
import org.dsvmpools.provisioning.ResourceKey;
import org.dsvmpools.provisioning.ProvisioningWorker;
import org.dsvmpools.provisioning.WorkerPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The provisioning worker with every real part: pool records in Azurite's tables, work on Azurite's queue, and
 * Azure through the real resource-manager SDK against the emulator. Results are read back with the SDK.
 */
class ProvisioningIT extends LocalCloudTest {
    private static final Caller ALICE = new Caller("alice-id", "Alice", Set.of());
    private static AzureEmulator emulator;
    private static EmulatorClients verify;
    private static ArmCloudResources cloud;
    private static StorageClients storage;
    private static int tables;

    private TablePoolRepository repository;
    private QueueClient queue;
    private PoolIntake intake;

    @BeforeAll
    static void start() {
        emulator = local.emulator;
        storage = local.storage;
        verify = local.verify;
        cloud = new ArmCloudResources(local.arm);
    }

    @AfterEach
    void clearFaults() throws Exception {
        emulator.configureFaults("{}");
    }

    private void freshStore() {
        String table = "pools" + (++tables);
        repository = new TablePoolRepository(storage.table(table));
        queue = storage.queue("pool-requests-" + tables);
        queue.createIfNotExists();
        intake = new PoolIntake(repository, new StorageQueueWorkQueue(queue), SystemClock.utc());
    }

    private ProvisioningWorker worker(CloudResources arm, WorkerPolicy policy) {
        return worker(arm, policy, settings());
    }

    private ProvisioningWorker worker(CloudResources arm, WorkerPolicy policy, BlueprintSettings settings) {
        return new ProvisioningWorker(repository, new StorageQueueWorkQueue(queue), arm, settings, policy,
                Duration.ofSeconds(1), SystemClock.utc(), duration -> Thread.sleep(Math.min(duration.toMillis(), 50)));
    }

    private ProvisioningWorker worker() {
        return worker(cloud, WorkerPolicy.defaults());
    }

    private static BlueprintSettings settings() {
        return new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, EmulatorClients.SUBSCRIPTION, null,
                emulator.armEndpoint());
    }

    private static PoolSpec spec(String name) {
        try {
            return PoolSpecJson.read(new ObjectMapper().readTree(SamplePools.document(name))).spec();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Pool pool(String name) {
        return repository.find(new PoolName(name)).orElseThrow().pool();
    }

    private Pool drive(String name, ProvisioningWorker worker) throws InterruptedException {
        return new WorkerDriver(queue, repository).drive(name, worker, Duration.ofSeconds(60));
    }

    private static String group(String name) {
        return AzureNames.of(new PoolName(name)).resourceGroup();
    }

    @Test
    void aPoolIsDeployedAsTheBlueprintSaysWithNoSecretInTheScaleSetModel() throws Exception {
        freshStore();
        intake.submit(spec("deploy-one"), ALICE);

        Pool ready = drive("deploy-one", worker());

        assertThat(ready.status()).as(ready.events().toString()).isEqualTo(PoolStatus.Ready);
        assertThat(ready.progress().resources()).extracting(PoolResource::state).containsOnly(ResourceState.Succeeded);
        assertThat(ready.progress().endpoints().ssh()).extracting(ssh -> ssh.port()).containsExactly(50000, 50001);
        AzureNames names = AzureNames.of(new PoolName("deploy-one"));
        String rg = names.resourceGroup();

        NetworkSecurityGroupInner nsg = verify.network().serviceClient().getNetworkSecurityGroups()
                .getByResourceGroup(rg, names.networkSecurityGroup());
        assertThat(nsg.securityRules()).extracting(r -> r.name() + ":" + r.access() + ":" + r.destinationPortRange()
                + ":" + r.sourceAddressPrefix() + ":" + r.sourceAddressPrefixes()).contains(
                "allow-ssh:Allow:22:203.0.113.0/24:null", "allow-admin-ssh:Allow:2222:203.0.113.0/24:null",
                "allow-jupyterhub:Allow:8000:203.0.113.0/24:null",
                "allow-load-balancer-probe:Allow:8000:AzureLoadBalancer:null", "deny-all-inbound:Deny:*:*:null");

        StorageAccountInner account = verify.storage().serviceClient().getStorageAccounts()
                .getByResourceGroup(rg, names.storageAccount());
        assertThat(account.enableHttpsTrafficOnly()).isTrue();
        assertThat(account.minimumTlsVersion().toString()).isEqualTo("TLS1_2");
        assertThat(account.allowBlobPublicAccess()).isFalse();
        assertThat(account.networkRuleSet().defaultAction().toString()).isEqualTo("Deny");
        assertThat(account.networkRuleSet().virtualNetworkRules()).extracting(r -> r.virtualNetworkResourceId())
                .containsExactly(ready.progress().resource("network").orElseThrow().id() + "/subnets/"
                        + names.subnet());
        assertThat(verify.storage().serviceClient().getFileShares()
                .get(rg, names.storageAccount(), names.fileShare()).shareQuota())
                .isEqualTo(spec("deploy-one").share().quotaGiB());

        LoadBalancerInner lb = verify.network().serviceClient().getLoadBalancers()
                .getByResourceGroup(rg, names.loadBalancer());
        assertThat(lb.sku().name().toString()).isEqualTo("Standard");
        assertThat(lb.inboundNatPools()).as("NAT pools (inbound NAT rules V1) retire in 2027").isNullOrEmpty();
        assertThat(lb.inboundNatRules()).singleElement().satisfies(ssh -> {
            assertThat(ssh.backendAddressPool().id()).endsWith("/backendAddressPools/ssh");
            assertThat(ssh.frontendPortRangeStart()).isEqualTo(50000);
            assertThat(ssh.frontendPortRangeEnd() - ssh.frontendPortRangeStart() + 1).isEqualTo(100);
            assertThat(ssh.backendPort()).as("sshd's second port: the pool-wide rule has 22").isEqualTo(2222);
            assertThat(ssh.enableTcpReset()).isTrue();
            assertThat(ssh.idleTimeoutInMinutes()).isEqualTo(30);
        });
        assertThat(lb.loadBalancingRules()).extracting(rule -> rule.name() + ":" + rule.frontendPort() + ":"
                + rule.backendPort() + ":" + rule.loadDistribution() + ":" + rule.enableTcpReset()).containsExactly(
                "jupyterhub:8000:8000:SourceIP:true", "ssh-pool:22:22:SourceIP:true");
        assertThat(lb.loadBalancingRules().get(1).probe().id()).as("the drain-aware probe, as JupyterHub's")
                .isEqualTo(lb.loadBalancingRules().get(0).probe().id());
        assertThat(ready.progress().endpoints().sshLogin()).isEqualTo("ssh <user>@" + ready.progress().endpoints()
                .dnsName());

        VirtualMachineScaleSetInner vmss = verify.compute().serviceClient().getVirtualMachineScaleSets()
                .getByResourceGroup(rg, names.scaleSet());
        assertThat(vmss.virtualMachineProfile().osProfile().linuxConfiguration().disablePasswordAuthentication())
                .isTrue();
        assertThat(vmss.virtualMachineProfile().osProfile().adminPassword()).isNull();
        assertThat(vmss.identity().type().toString()).isEqualTo("SystemAssigned");
        assertThat(vmss.upgradePolicy().mode().toString()).isEqualTo("Manual");
        assertThat(vmss.overprovision()).isFalse();
        assertThat(vmss.sku().capacity()).isEqualTo(2);

        var role = verify.authorization().roleServiceClient().getRoleAssignments().getWithResponse(account.id(),
                ready.progress().resource("storageKeyRole").orElseThrow().name(), null, Context.NONE).getValue();
        assertThat(role.principalId()).isEqualTo(vmss.identity().principalId());
        assertThat(role.roleDefinitionId()).endsWith("81a9662b-bebf-436f-a333-f67b29880f12");

        List<StorageAccountKey> keys = verify.storage().storageAccounts()
                .getByResourceGroup(rg, names.storageAccount()).getKeys();
        String model = vmss.toJsonString();
        String customData = new String(java.util.Base64.getDecoder().decode(
                vmss.virtualMachineProfile().osProfile().customData()), java.nio.charset.StandardCharsets.UTF_8);
        for (StorageAccountKey key : keys) {
            assertThat(model).doesNotContain(key.value());
            assertThat(customData).doesNotContain(key.value());
            assertThat(ready.progress().toString()).doesNotContain(key.value());
        }
        assertThat(customData).startsWith("#cloud-config").contains("/opt/dsvmpools/mount-share.sh");
        assertThat(verify.resources().genericResources().listByResourceGroup(rg).stream()
                .map(r -> r.type()).toList()).containsExactlyInAnyOrder("Microsoft.Network/networkSecurityGroups",
                "Microsoft.Network/publicIPAddresses", "Microsoft.Network/virtualNetworks",
                "Microsoft.Network/loadBalancers", "Microsoft.Storage/storageAccounts",
                "Microsoft.Compute/virtualMachineScaleSets");
    }

    @Test
    void aFreshDeployPutsEachResourceOnceAndReadsOnlyWhatIsStillInFlight() throws Exception {
        freshStore();
        intake.submit(spec("counted"), ALICE);
        emulator.requests().clear();

        drive("counted", worker());

        List<RequestLog.Entry> requests = emulator.requests().entries().stream()
                .filter(e -> e.path().toLowerCase(java.util.Locale.ROOT).contains("/resourcegroups/dsvmpools-counted"))
                .toList();
        Map<String, Long> puts = requests.stream().filter(e -> e.method().equals("PUT")).collect(
                java.util.stream.Collectors.groupingBy(e -> type(e.path()), java.util.stream.Collectors.counting()));
        assertThat(puts).containsOnly(Map.entry("resourcegroups", 1L), Map.entry("networksecuritygroups", 1L),
                Map.entry("publicipaddresses", 1L), Map.entry("virtualnetworks", 1L), Map.entry("loadbalancers", 1L),
                Map.entry("storageaccounts", 1L), Map.entry("fileservices", 1L), Map.entry("shares", 1L),
                Map.entry("virtualmachinescalesets", 1L), Map.entry("roleassignments", 1L));
        assertThat(requests).extracting(RequestLog.Entry::method).containsOnly("PUT", "GET", "POST");
        assertThat(requests).filteredOn(e -> e.method().equals("GET")).extracting(e -> type(e.path()))
                .as("reads of what it has not made yet, for its tags (#27), of resources whose operation was still"
                        + " running, and the instances once")
                .doesNotContain("fileservices", "shares", "roleassignments")
                .containsOnlyOnce("resourcegroups", "virtualmachines");
        assertThat(requests).filteredOn(e -> e.method().equals("POST")).extracting(e -> type(e.path()))
                .as("one port mapping query per instance, for its SSH endpoint")
                .containsExactly("queryinboundnatruleportmapping", "queryinboundnatruleportmapping");
    }

    /** The resource type segment of an ARM path, lower case: {@code .../loadBalancers/x} gives loadbalancers. */
    private static String type(String path) {
        String[] parts = path.toLowerCase(java.util.Locale.ROOT).replaceFirst("^/+", "").split("/");
        return parts.length % 2 == 0 ? parts[parts.length - 2] : parts[parts.length - 1];
    }

    @Test
    void theSameMessageThreeTimesThroughTheQueueMakesOneOfEachResource() throws Exception {
        freshStore();
        intake.submit(spec("three-times"), ALICE);
        WorkItem original = WorkItemJson.read(queue.peekMessage().getBody().toString());
        new StorageQueueWorkQueue(queue).send(original);
        new StorageQueueWorkQueue(queue).send(original);
        emulator.requests().clear();

        Pool ready = drive("three-times", worker(cloud, new WorkerPolicy(Duration.ZERO, Duration.ofSeconds(60),
                Duration.ofSeconds(1), 8, Duration.ofMinutes(5))));

        assertThat(ready.status()).isEqualTo(PoolStatus.Ready);
        Map<String, Long> puts = emulator.requests().entries().stream().filter(e -> e.method().equals("PUT"))
                .collect(java.util.stream.Collectors.groupingBy(e -> e.path().substring(e.path().lastIndexOf('/') + 1),
                        java.util.stream.Collectors.counting()));
        assertThat(puts).allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1));
        assertThat(verify.resources().genericResources().listByResourceGroup(group("three-times")).stream().count())
                .isEqualTo(6);
    }

    @Test
    void aWorkerKilledMidDeployIsResumedFromTheRecord() throws Exception {
        freshStore();
        intake.submit(spec("killed"), ALICE);
        ProvisioningWorker dying = worker(new Crashing(cloud, ResourceKey.STORAGE), WorkerPolicy.defaults());

        assertThatThrownBy(() -> drive("killed", dying)).hasMessageContaining("killed");
        assertThat(pool("killed").status()).isEqualTo(PoolStatus.Provisioning);

        Pool ready = drive("killed", worker());
        assertThat(ready.status()).isEqualTo(PoolStatus.Ready);
        assertThat(verify.resources().genericResources().listByResourceGroup(group("killed")).stream().count())
                .isEqualTo(6);
    }

    @Test
    void throttlingAndOutagesOnOneRequestInFiveStillEndReady() throws Exception {
        freshStore();
        intake.submit(spec("flaky-arm"), ALICE);
        emulator.configureFaults("{\"seed\":7,\"rules\":[{\"match\":\"/subscriptions/\",\"kind\":\"throttle\","
                + "\"fraction\":0.1},{\"match\":\"/subscriptions/\",\"kind\":\"unavailable\",\"fraction\":0.11}]}");
        emulator.requests().clear();

        Pool ready = drive("flaky-arm", worker());

        assertThat(ready.status()).as(ready.events().toString()).isEqualTo(PoolStatus.Ready);
        assertThat(emulator.requests().entries()).filteredOn(e -> e.status() == 429 || e.status() == 503)
                .isNotEmpty();
        assertThat(verify.resources().genericResources().listByResourceGroup(group("flaky-arm")).stream().count())
                .isEqualTo(6);
    }

    @Test
    void aQuotaErrorEndsFailedWithArmsMessageAndARetryFinishesTheJob() throws Exception {
        freshStore();
        intake.submit(spec("no-quota"), ALICE);
        emulator.configureFaults("{\"rules\":[{\"method\":\"PUT\",\"match\":\"virtualMachineScaleSets\","
                + "\"kind\":\"error\",\"status\":409,\"code\":\"QuotaExceeded\"}]}");

        Pool failed = drive("no-quota", worker());

        assertThat(failed.status()).isEqualTo(PoolStatus.Failed);
        assertThat(failed.progress().failure().code()).isEqualTo("QuotaExceeded");
        assertThat(failed.progress().failure().resource()).isEqualTo("scaleSet");
        assertThat(failed.progress().failure().message()).isEqualTo("injected fault (error)");

        emulator.configureFaults("{}");
        intake.retry(new PoolName("no-quota"), ALICE);
        assertThat(drive("no-quota", worker()).status()).isEqualTo(PoolStatus.Ready);
    }

    @Test
    void theInstancesCarryTheHubIdentityWhichMustExistBeforeAPoolCanUseIt() throws Exception {
        freshStore();
        String identity = "/subscriptions/" + EmulatorClients.SUBSCRIPTION + "/resourceGroups/dsvmpools-control"
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dsvmpools-hub-" + tables;
        BlueprintSettings signIn = settings().withHubSignIn(new org.dsvmpools.provisioning.HubSignIn(
                emulator.entraAuthority(), java.util.UUID.randomUUID().toString(), identity, "hub-client-" + tables));
        intake.submit(spec("hub-identity"), ALICE);

        Pool failed = drive("hub-identity", worker(cloud, WorkerPolicy.defaults(), signIn));
        assertThat(failed.status()).isEqualTo(PoolStatus.Failed);
        assertThat(failed.progress().failure().code()).isEqualTo("FailedIdentityOperation");
        assertThat(failed.progress().failure().message()).contains(identity, "was not found");

        String principal = java.util.UUID.randomUUID().toString();
        emulator.registerManagedIdentity(identity, "hub-client-" + tables, principal);
        intake.retry(new PoolName("hub-identity"), ALICE);
        assertThat(drive("hub-identity", worker(cloud, WorkerPolicy.defaults(), signIn)).status())
                .isEqualTo(PoolStatus.Ready);
        var scaleSet = verify.compute().serviceClient().getVirtualMachineScaleSets()
                .getByResourceGroup(group("hub-identity"), AzureNames.of(new PoolName("hub-identity")).scaleSet());
        assertThat(scaleSet.identity().type().toString()).isEqualTo("SystemAssigned, UserAssigned");
        assertThat(scaleSet.identity().userAssignedIdentities().get(identity).principalId()).isEqualTo(principal);
        assertThat(scaleSet.identity().principalId()).as("its own identity, for the agents' roles").isNotBlank();
    }

    @Test
    void deleteKeepsTheShareAndAPurgeRemovesEverything() throws Exception {
        freshStore();
        intake.submit(spec("short-lived"), ALICE);
        drive("short-lived", worker());
        AzureNames names = AzureNames.of(new PoolName("short-lived"));

        intake.delete(new PoolName("short-lived"), ALICE, false, null);
        Pool deleted = drive("short-lived", worker());

        assertThat(deleted.status()).as(deleted.events().toString()).isEqualTo(PoolStatus.Deleted);
        assertThat(verify.resources().genericResources().listByResourceGroup(names.resourceGroup()).stream()
                .map(r -> r.type()).toList()).containsExactly("Microsoft.Storage/storageAccounts");
        assertThat(verify.storage().serviceClient().getFileShares().get(names.resourceGroup(), names.storageAccount(),
                names.fileShare())).isNotNull();
        assertThat(deleted.progress().resource("share").orElseThrow().state()).isEqualTo(ResourceState.Kept);

        intake.delete(new PoolName("short-lived"), ALICE, true, "short-lived");
        Pool purged = drive("short-lived", worker());

        assertThat(purged.status()).isEqualTo(PoolStatus.Deleted);
        assertThat(verify.resources().resourceGroups().contain(names.resourceGroup())).isFalse();
        assertThatThrownBy(() -> verify.storage().serviceClient().getStorageAccounts()
                .getByResourceGroup(names.resourceGroup(), names.storageAccount()))
                .isInstanceOf(ManagementException.class);
    }

    @Test
    void aPoolInAnExistingResourceGroupLeavesTheGroupAloneEvenWhenPurged() throws Exception {
        freshStore();
        verify.resources().resourceGroups().define("team-shared").withRegion("westeurope")
                .withTags(Map.of("owner", "data-team")).create();
        var document = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(
                SamplePools.document("in-shared"));
        intake.submit(PoolSpecJson.read(document.put("resourceGroup", "team-shared")).spec(), ALICE);

        assertThat(drive("in-shared", worker()).status()).isEqualTo(PoolStatus.Ready);
        assertThat(verify.resources().genericResources().listByResourceGroup("team-shared").stream().count())
                .isEqualTo(6);
        assertThat(verify.resources().resourceGroups().contain(group("in-shared"))).isFalse();

        intake.delete(new PoolName("in-shared"), ALICE, true, "in-shared");
        Pool purged = drive("in-shared", worker());

        assertThat(purged.status()).as(purged.events().toString()).isEqualTo(PoolStatus.Deleted);
        assertThat(verify.resources().genericResources().listByResourceGroup("team-shared").stream().count())
                .isZero();
        assertThat(verify.resources().resourceGroups().getByName("team-shared").tags())
                .containsExactly(Map.entry("owner", "data-team"));
    }

    /**
     * #27 finding 1: the operator's prod network in a group the spec names has the pool's derived name. Before, the
     * worker PUT over it (tags, address space and the databases subnet lost) and the pool's deletion deleted it.
     */
    @Test
    void aNetworkThePoolDidNotMakeIsNeverOverwrittenNorDeletedWithThePool() throws Exception {
        freshStore();
        verify.resources().resourceGroups().define("ops-shared").withRegion("westeurope").create();
        String vnet = AzureNames.of(new PoolName("takeover")).virtualNetwork();
        var networks = verify.network().serviceClient().getVirtualNetworks();
        networks.createOrUpdate("ops-shared", vnet, new com.azure.resourcemanager.network.fluent.models
                .VirtualNetworkInner().withLocation("westeurope").withTags(Map.of("env", "prod"))
                .withAddressSpace(new com.azure.resourcemanager.network.models.AddressSpace()
                        .withAddressPrefixes(List.of("10.50.0.0/16")))
                .withSubnets(List.of(new com.azure.resourcemanager.network.fluent.models.SubnetInner()
                        .withName("databases").withAddressPrefix("10.50.1.0/24"))));
        var document = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(
                SamplePools.document("takeover"));
        intake.submit(PoolSpecJson.read(document.put("resourceGroup", "ops-shared")).spec(), ALICE);

        Pool failed = drive("takeover", worker());

        assertThat(failed.status()).as(failed.events().toString()).isEqualTo(PoolStatus.Failed);
        assertThat(failed.progress().failure().code()).isEqualTo("ResourceNotOwned");
        assertThat(failed.progress().failure().message()).contains("virtual network '" + vnet + "'", "ops-shared");
        intake.delete(new PoolName("takeover"), ALICE, true, "takeover");
        Pool deleted = drive("takeover", worker());
        assertThat(deleted.status()).as(deleted.events().toString()).isEqualTo(PoolStatus.Deleted);
        var kept = networks.getByResourceGroup("ops-shared", vnet);
        assertThat(kept.tags()).containsExactly(Map.entry("env", "prod"));
        assertThat(kept.addressSpace().addressPrefixes()).containsExactly("10.50.0.0/16");
        assertThat(kept.subnets()).extracting(com.azure.resourcemanager.network.fluent.models.SubnetInner::name)
                .containsExactly("databases");
    }

    /** The real cloud, except that the process "dies" right after beginning one resource. */
    private record Crashing(CloudResources real, ResourceKey crashAfter, AtomicBoolean crashed)
            implements CloudResources {
        Crashing(CloudResources real, ResourceKey crashAfter) {
            this(real, crashAfter, new AtomicBoolean());
        }

        @Override
        public void ensureGroup(PoolBlueprint.ResourceGroup group) {
            real.ensureGroup(group);
        }

        @Override
        public java.util.Optional<Map<String, String>> groupTags(PoolBlueprint.ResourceGroup group) {
            return real.groupTags(group);
        }

        @Override
        public Observation observe(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource) {
            return real.observe(group, resource);
        }

        @Override
        public Observation beginCreate(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                                       Map<String, PoolResource> known) {
            Observation begun = real.beginCreate(group, resource, known);
            if (resource.key() == crashAfter && !crashed.getAndSet(true)) {
                throw new IllegalStateException("worker killed after beginning " + crashAfter);
            }
            return begun;
        }

        @Override
        public Observation beginDelete(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                                       Map<String, PoolResource> known) {
            return real.beginDelete(group, resource, known);
        }

        @Override
        public Observation beginDeleteGroup(PoolBlueprint.ResourceGroup group) {
            return real.beginDeleteGroup(group);
        }

        @Override
        public boolean groupExists(PoolBlueprint.ResourceGroup group) {
            return real.groupExists(group);
        }

        @Override
        public Map<String, Integer> sshPorts(PoolBlueprint.ResourceGroup group, PoolBlueprint.LoadBalancer lb,
                                             PoolBlueprint.ScaleSet scaleSet) {
            return real.sshPorts(group, lb, scaleSet);
        }
    }
}
