package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.Region;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.authorization.models.RoleAssignmentCreateParameters;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetVMInner;
import com.azure.resourcemanager.compute.models.Sku;
import com.azure.resourcemanager.compute.models.UpgradeMode;
import com.azure.resourcemanager.compute.models.UpgradePolicy;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetUpdate;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMExpandType;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMInstanceIDs;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMInstanceRequiredIDs;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMProtectionPolicy;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.models.LoadBalancerSku;
import com.azure.resourcemanager.network.models.LoadBalancerSkuName;
import com.azure.resourcemanager.network.models.Network;
import com.azure.resourcemanager.network.models.NetworkSecurityGroup;
import com.azure.resourcemanager.network.models.PublicIpAddress;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.storage.models.StorageAccount;
import com.azure.resourcemanager.storage.models.StorageAccountKey;
import com.azure.storage.file.share.ShareClient;
import com.azure.storage.file.share.ShareDirectoryClient;
import com.azure.storage.file.share.ShareFileClient;
import com.azure.storage.file.share.ShareServiceClient;
import com.azure.storage.file.share.models.ShareStorageException;
import com.azure.storage.file.share.specialized.ShareLeaseClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.dsvmpools.emulator.AzureEmulator;
import org.dsvmpools.kit.TlsCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The emulator driven only through the real Azure SDK clients (and curl-like HTTP for fault set-up). */
class AzureEmulatorIT {
    private static AzureEmulator emulator;
    private static EmulatorClients clients;
    private static SSLContext trust;
    private static Path dataDir;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("emulator");
        TlsCertificate tls = TlsCertificate.loadOrCreate(dataDir);
        trust = tls.clientContext();
        emulator = AzureEmulator.start(0, 0, 0.001, dataDir, tls.serverContext());
        clients = new EmulatorClients(emulator.armEndpoint(), trust);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @AfterEach
    void clearFaults() throws Exception {
        faults("{}");
    }

    private static void faults(String config) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trust).build();
        var response = http.send(HttpRequest.newBuilder(URI.create(emulator.armEndpoint() + "emulator/faults"))
                .POST(HttpRequest.BodyPublishers.ofString(config)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(204);
    }

    private static StorageAccount storageAccount(String rg, String name) {
        return clients.storage().storageAccounts().define(name).withRegion(Region.EUROPE_WEST)
                .withExistingResourceGroup(rg).create();
    }

    private static String group(String name) {
        clients.resources().resourceGroups().define(name).withRegion(Region.EUROPE_WEST).create();
        return name;
    }

    @Test
    void resourceGroupsAreCreatedReadAndDeleted() {
        ResourceManager arm = clients.resources();
        arm.resourceGroups().define("rg-life").withRegion(Region.EUROPE_WEST).withTag("dsvmpools-pool", "a").create();

        assertThat(arm.resourceGroups().contain("rg-life")).isTrue();
        assertThat(arm.resourceGroups().getByName("RG-LIFE").tags()).containsEntry("dsvmpools-pool", "a");

        arm.resourceGroups().deleteByName("rg-life");

        assertThat(arm.resourceGroups().contain("rg-life")).isFalse();
    }

    @Test
    void aMissingResourceIsAnArmShapedNotFound() {
        group("rg-missing");
        assertThatThrownBy(() -> clients.network().networks().getByResourceGroup("rg-missing", "nope"))
                .isInstanceOf(ManagementException.class)
                .satisfies(e -> assertThat(((ManagementException) e).getValue().getCode()).isEqualTo("ResourceNotFound"));
        assertThatThrownBy(() -> clients.network().networks().getByResourceGroup("no-such-group", "nope"))
                .isInstanceOf(ManagementException.class)
                .satisfies(e -> assertThat(((ManagementException) e).getValue().getCode())
                        .isEqualTo("ResourceGroupNotFound"));
    }

    @Test
    void storageAccountsHaveKeysAndGloballyUniqueValidNames() {
        String rg = group("rg-storage");
        StorageAccount account = storageAccount(rg, "dpmlteam1234abcd");

        List<StorageAccountKey> keys = account.getKeys();

        assertThat(keys).hasSize(2).allMatch(key -> key.value().length() > 40);
        assertThat(account.endPoints().primary().file()).startsWith(emulator.filesEndpoint() + "/dpmlteam1234abcd");
        String other = group("rg-storage-2");
        assertThatThrownBy(() -> clients.storage().storageAccounts().define("dpmlteam1234abcd")
                .withRegion(Region.EUROPE_WEST).withExistingResourceGroup(other).create())
                .isInstanceOf(ManagementException.class)
                .satisfies(e -> assertThat(((ManagementException) e).getValue().getCode())
                        .isEqualTo("StorageAccountAlreadyTaken"));
        assertThatThrownBy(() -> clients.storage().storageAccounts().define("Not-Valid")
                .withRegion(Region.EUROPE_WEST).withExistingResourceGroup(rg).create())
                .isInstanceOf(ManagementException.class)
                .satisfies(e -> assertThat(((ManagementException) e).getValue().getCode()).isEqualTo("AccountNameInvalid"));
    }

    @Test
    void sharesDirectoriesAndFilesWorkThroughTheFilesSdkWithTheListedKey() throws Exception {
        String rg = group("rg-files");
        StorageAccount account = storageAccount(rg, "dpfiles0001");
        String key = account.getKeys().get(0).value();
        ShareServiceClient service = EmulatorClients.files(account.endPoints().primary().file(), "dpfiles0001", key);

        ShareClient share = service.createShare("pool-data");
        ShareDirectoryClient users = share.createDirectory("users");
        users.createSubdirectory("alice");
        ShareDirectoryClient notebooks = share.getDirectoryClient("users/alice").createSubdirectory("my notebooks");
        assertThat(share.getDirectoryClient("users/alice/my notebooks").createIfNotExists()).isNull();
        assertThatThrownBy(() -> service.createShare("pool-data")).isInstanceOf(ShareStorageException.class)
                .satisfies(e -> assertThat(((ShareStorageException) e).getErrorCode().toString())
                        .isEqualTo("ShareAlreadyExists"));

        byte[] manifest = "{\"users\":[\"alice\"]}".getBytes(StandardCharsets.UTF_8);
        ShareFileClient file = share.createDirectory(".pool").createFile("users.json", manifest.length);
        file.upload(new ByteArrayInputStream(manifest), manifest.length, null);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        file.download(read);

        assertThat(read.toString(StandardCharsets.UTF_8)).isEqualTo("{\"users\":[\"alice\"]}");
        assertThat(users.listFilesAndDirectories().stream().map(item -> item.getName()).collect(Collectors.toList()))
                .containsExactly("alice");
        assertThat(notebooks.exists()).isTrue();
        assertThat(dataDir.resolve("files/dpfiles0001/pool-data/users/alice/my notebooks")).isDirectory();
        assertThat(dataDir.resolve("files/dpfiles0001/pool-data/.pool/users.json")).hasContent("{\"users\":[\"alice\"]}");
    }

    @Test
    void aWrongKeyIs403AndALeasedFileRefusesWritesWithoutTheLease() {
        String rg = group("rg-files-auth");
        StorageAccount account = storageAccount(rg, "dpfiles0002");
        String endpoint = account.endPoints().primary().file();
        String wrongKey = java.util.Base64.getEncoder().encodeToString(new byte[64]);

        assertThatThrownBy(() -> EmulatorClients.files(endpoint, "dpfiles0002", wrongKey).createShare("s"))
                .isInstanceOf(ShareStorageException.class)
                .satisfies(e -> assertThat(((ShareStorageException) e).getStatusCode()).isEqualTo(403));

        ShareServiceClient service = EmulatorClients.files(endpoint, "dpfiles0002", account.getKeys().get(1).value());
        ShareFileClient file = service.createShare("s").getRootDirectoryClient().createFile("m.json", 4);
        var lease = new ShareLeaseClientBuilder().fileClient(file).buildClient();
        lease.acquireLease();

        assertThatThrownBy(() -> file.upload(new ByteArrayInputStream("abcd".getBytes()), 4, null))
                .isInstanceOf(ShareStorageException.class)
                .satisfies(e -> assertThat(((ShareStorageException) e).getStatusCode()).isEqualTo(412));
        lease.releaseLease();
        file.upload(new ByteArrayInputStream("abcd".getBytes()), 4, null);
    }

    /** Azure Files' Get File takes no conditional headers: an If-Match, stale or not, changes nothing. */
    @Test
    void fileReadsIgnoreEtagConditionsAsTheServiceDoes() throws Exception {
        String rg = group("rg-files-etag");
        StorageAccount account = storageAccount(rg, "dpfiles0003");
        String key = account.getKeys().get(0).value();
        ShareFileClient file = EmulatorClients.files(account.endPoints().primary().file(), "dpfiles0003", key)
                .createShare("s").getRootDirectoryClient().createFile("users.json", 2);
        file.upload(new ByteArrayInputStream("{}".getBytes()), 2, null);
        String etag = file.getProperties().getETag();
        URI uri = URI.create(account.endPoints().primary().file() + "s/users.json");

        var stale = signedGet(uri, "dpfiles0003", key, "\"0xSTALE\"");
        assertThat(stale.statusCode()).as("etag %s: %s", etag, stale.body()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo("{}");
        assertThat(signedGet(uri, "dpfiles0003", key, etag).statusCode()).isEqualTo(200);
    }

    /** A GET signed with SharedKey by the SDK's own signer, sent with If-Match. */
    private static HttpResponse<String> signedGet(URI uri, String account, String key, String ifMatch)
            throws Exception {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("x-ms-date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)));
        headers.put("x-ms-version", "2025-05-05");
        headers.put("If-Match", ifMatch);
        Map<String, String> signed = new java.util.LinkedHashMap<>(headers);
        // The SDK's pipeline always sets Content-Length ("0" signs as empty); its bare signer needs it given.
        signed.put("Content-Length", "0");
        String authorization = new com.azure.storage.common.StorageSharedKeyCredential(account, key)
                .generateAuthorizationHeader(uri.toURL(), "GET", signed);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Authorization", authorization);
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void networkResourcesAreCreatedWithLongRunningOperations() {
        String rg = group("rg-net");
        Network vnet = clients.network().networks().define("ml-team-vnet").withRegion(Region.EUROPE_WEST)
                .withExistingResourceGroup(rg).withAddressSpace("10.0.0.0/16")
                .withSubnet("instances", "10.0.0.0/24").create();
        NetworkSecurityGroup nsg = clients.network().networkSecurityGroups().define("ml-team-nsg")
                .withRegion(Region.EUROPE_WEST).withExistingResourceGroup(rg)
                .defineRule("ssh").allowInbound().fromAddress("203.0.113.0/24").fromAnyPort().toAnyAddress()
                .toPort(22).withProtocol(SecurityRuleProtocol.TCP).withPriority(100).attach().create();
        PublicIpAddress ip = clients.network().publicIpAddresses().define("ml-team-pip").withRegion(Region.EUROPE_WEST)
                .withExistingResourceGroup(rg).withLeafDomainLabel("ml-team-1a2b3c4d").create();
        LoadBalancerInner lb = clients.network().serviceClient().getLoadBalancers().createOrUpdate(rg, "ml-team-lb",
                new LoadBalancerInner().withLocation("westeurope")
                        .withSku(new LoadBalancerSku().withName(LoadBalancerSkuName.STANDARD)));

        assertThat(vnet.subnets()).containsKey("instances");
        assertThat(nsg.securityRules()).containsKey("ssh");
        assertThat(ip.leafDomainLabel()).isEqualTo("ml-team-1a2b3c4d");
        assertThat(lb.provisioningState().toString()).isEqualTo("Succeeded");
        assertThat(clients.resources().genericResources().listByResourceGroup(rg).stream().count()).isEqualTo(4);
    }

    @Test
    void scaleSetInstancesScaleDeallocateStartAndHonourScaleInProtection() {
        String rg = group("rg-vmss");
        var scaleSets = clients.compute().serviceClient().getVirtualMachineScaleSets();
        var vms = clients.compute().serviceClient().getVirtualMachineScaleSetVMs();
        scaleSets.createOrUpdate(rg, "ml-team-vmss", new VirtualMachineScaleSetInner().withLocation("westeurope")
                .withSku(new Sku().withName("Standard_D4s_v5").withCapacity(3L))
                .withUpgradePolicy(new UpgradePolicy().withMode(UpgradeMode.MANUAL)).withOverprovision(false));

        assertThat(powerStates(rg)).containsExactly(Map.entry("0", "running"), Map.entry("1", "running"),
                Map.entry("2", "running"));

        scaleSets.update(rg, "ml-team-vmss", new VirtualMachineScaleSetUpdate()
                .withSku(new Sku().withName("Standard_D4s_v5").withCapacity(4L)));
        assertThat(powerStates(rg)).hasSize(4);

        scaleSets.deallocate(rg, "ml-team-vmss", null,
                new VirtualMachineScaleSetVMInstanceIDs().withInstanceIds(List.of("1")), com.azure.core.util.Context.NONE);
        assertThat(powerStates(rg)).containsEntry("1", "deallocated").containsEntry("0", "running");
        assertThat(vms.getInstanceView(rg, "ml-team-vmss", "1").statuses()).anyMatch(status ->
                status.code().equals("PowerState/deallocated"));
        scaleSets.start(rg, "ml-team-vmss", new VirtualMachineScaleSetVMInstanceIDs().withInstanceIds(List.of("1")),
                com.azure.core.util.Context.NONE);
        assertThat(powerStates(rg)).containsEntry("1", "running");

        VirtualMachineScaleSetVMInner zero = vms.get(rg, "ml-team-vmss", "0");
        vms.update(rg, "ml-team-vmss", "0", zero.withProtectionPolicy(
                new VirtualMachineScaleSetVMProtectionPolicy().withProtectFromScaleIn(true)));
        scaleSets.update(rg, "ml-team-vmss", new VirtualMachineScaleSetUpdate()
                .withSku(new Sku().withName("Standard_D4s_v5").withCapacity(1L)));

        assertThat(powerStates(rg)).containsOnlyKeys("0");
        assertThat(vms.get(rg, "ml-team-vmss", "0").protectionPolicy().protectFromScaleIn()).isTrue();

        scaleSets.deleteInstances(rg, "ml-team-vmss",
                new VirtualMachineScaleSetVMInstanceRequiredIDs().withInstanceIds(List.of("0")));
        assertThat(powerStates(rg)).isEmpty();
        assertThat(scaleSets.getByResourceGroup(rg, "ml-team-vmss").sku().capacity()).isZero();
    }

    @Test
    void instancesMeterTheSecondsTheyRanInAzureTime() throws Exception {
        String rg = group("rg-meter");
        var scaleSets = clients.compute().serviceClient().getVirtualMachineScaleSets();
        scaleSets.createOrUpdate(rg, "meter-vmss", new VirtualMachineScaleSetInner().withLocation("westeurope")
                .withSku(new Sku().withName("Standard_D4s_v5").withCapacity(1L)));

        double first = meter(rg);
        Thread.sleep(200);
        double second = meter(rg);
        scaleSets.deallocate(rg, "meter-vmss");
        double stopped = meter(rg);
        Thread.sleep(200);

        // 200 ms of real time at time scale 0.001 are 200 s of Azure time.
        assertThat(second - first).isBetween(150.0, 1_500.0);
        assertThat(meter(rg)).as("a deallocated instance costs nothing").isEqualTo(stopped);
    }

    private static double meter(String rg) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trust).build();
        var instance = http.send(HttpRequest.newBuilder(URI.create(emulator.armEndpoint() + "subscriptions/"
                        + EmulatorClients.SUBSCRIPTION + "/resourceGroups/" + rg
                        + "/providers/Microsoft.Compute/virtualMachineScaleSets/meter-vmss/virtualMachines/0"
                        + "?api-version=2024-07-01")).header("Authorization", "Bearer x").build(),
                HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(instance.body())
                .path("properties").path("emulator").path("runningSeconds").asDouble();
    }

    @Test
    void throttlingAndUnavailabilityAreRetriedBySdk() throws Exception {
        group("rg-faults");
        faults("{\"seed\":7,\"rules\":[{\"method\":\"GET\",\"match\":\"resourcegroups/rg-faults\",\"kind\":\"throttle\","
                + "\"retryAfterSeconds\":0,\"count\":2},{\"method\":\"GET\",\"match\":\"resourcegroups/rg-faults\","
                + "\"kind\":\"unavailable\",\"retryAfterSeconds\":0,\"count\":1}]}");

        assertThat(clients.resources().resourceGroups().getByName("rg-faults").name()).isEqualTo("rg-faults");
    }

    @Test
    void aQuotaErrorOnOneResourceTypeFailsCleanly() throws Exception {
        String rg = group("rg-quota");
        faults("{\"rules\":[{\"method\":\"PUT\",\"match\":\"Microsoft.Compute/virtualMachineScaleSets\","
                + "\"kind\":\"error\",\"status\":409,\"code\":\"QuotaExceeded\"}]}");

        assertThatThrownBy(() -> clients.compute().serviceClient().getVirtualMachineScaleSets().createOrUpdate(rg,
                "quota-vmss", new VirtualMachineScaleSetInner().withLocation("westeurope")
                        .withSku(new Sku().withName("Standard_NC4as_T4_v3").withCapacity(1L))))
                .isInstanceOf(ManagementException.class)
                .satisfies(e -> assertThat(((ManagementException) e).getValue().getCode()).isEqualTo("QuotaExceeded"));
        assertThat(clients.network().networks().listByResourceGroup(rg).stream().count()).isZero();
    }

    @Test
    void roleAssignmentsAreStoredUnderTheirScope() {
        String rg = group("rg-roles");
        StorageAccount account = storageAccount(rg, "dproles0001");
        String name = java.util.UUID.randomUUID().toString();
        var roleAssignments = clients.authorization().roleServiceClient().getRoleAssignments();
        emulator.registerPrincipal("11111111-2222-3333-4444-555555555555");

        roleAssignments.create(account.id(), name, new RoleAssignmentCreateParameters()
                .withRoleDefinitionId("/subscriptions/" + EmulatorClients.SUBSCRIPTION
                        + "/providers/Microsoft.Authorization/roleDefinitions/0c867c2a-1d8c-454a-a3db-ab2ea1bdc8bb")
                .withPrincipalId("11111111-2222-3333-4444-555555555555").withPrincipalType(PrincipalType.SERVICE_PRINCIPAL));

        var read = roleAssignments.get(account.id(), name);
        assertThat(read.principalId()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(read.id()).startsWith(account.id() + "/providers/Microsoft.Authorization/roleAssignments/");
    }

    @Test
    void invalidNamesAndInstanceIdsAreInvalidParameters() {
        String rg = group("rg-invalid");
        var scaleSets = clients.compute().serviceClient().getVirtualMachineScaleSets();

        assertThatThrownBy(() -> scaleSets.createOrUpdate(rg, "-bad-name", new VirtualMachineScaleSetInner()
                .withLocation("westeurope").withSku(new Sku().withName("Standard_D4s_v5").withCapacity(0L))))
                .isInstanceOf(ManagementException.class)
                .satisfies(e -> assertThat(((ManagementException) e).getValue().getCode()).isEqualTo("InvalidParameter"));
        scaleSets.createOrUpdate(rg, "empty-vmss", new VirtualMachineScaleSetInner().withLocation("westeurope")
                .withSku(new Sku().withName("Standard_D4s_v5").withCapacity(0L)));
        assertThatThrownBy(() -> scaleSets.start(rg, "empty-vmss",
                new VirtualMachineScaleSetVMInstanceIDs().withInstanceIds(List.of("7")), com.azure.core.util.Context.NONE))
                .isInstanceOf(ManagementException.class)
                .satisfies(e -> assertThat(((ManagementException) e).getValue().getCode()).isEqualTo("InvalidParameter"));
    }

    @Test
    void internalErrorsAndLatencyAreRetriedAndSurvived() throws Exception {
        group("rg-500");
        faults("{\"rules\":[{\"method\":\"GET\",\"match\":\"resourcegroups/rg-500\",\"kind\":\"latency\","
                + "\"latencyMillis\":200,\"count\":1},{\"method\":\"GET\",\"match\":\"resourcegroups/rg-500\","
                + "\"kind\":\"internal\",\"count\":2}]}");
        long start = System.nanoTime();

        assertThat(clients.resources().resourceGroups().getByName("rg-500").name()).isEqualTo("rg-500");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aSeededFailureFractionRepeatsExactly() throws Exception {
        group("rg-seeded");
        String config = "{\"seed\":42,\"rules\":[{\"method\":\"GET\",\"match\":\"rg-seeded\","
                + "\"kind\":\"unavailable\",\"fraction\":0.5}]}";

        faults(config);
        List<Integer> first = statuses("rg-seeded", 20);
        faults(config);
        List<Integer> second = statuses("rg-seeded", 20);

        assertThat(first).isEqualTo(second).contains(200, 503);
    }

    private static List<Integer> statuses(String rg, int count) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trust).build();
        List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(http.send(HttpRequest.newBuilder(URI.create(emulator.armEndpoint() + "subscriptions/"
                    + EmulatorClients.SUBSCRIPTION + "/resourceGroups/" + rg + "?api-version=2021-04-01"))
                    .header("Authorization", "Bearer x").build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        return statuses;
    }

    private static Map<String, String> powerStates(String rg) {
        Map<String, String> states = new java.util.TreeMap<>();
        clients.compute().serviceClient().getVirtualMachineScaleSetVMs()
                .list(rg, "ml-team-vmss", null, null, VirtualMachineScaleSetVMExpandType.INSTANCE_VIEW.toString(),
                        com.azure.core.util.Context.NONE)
                .forEach(vm -> states.put(vm.instanceId(), vm.instanceView().statuses().stream()
                        .map(status -> status.code())
                        .filter(code -> code.startsWith("PowerState/")).map(code -> code.substring(11))
                        .findFirst().orElse("none")));
        return states;
    }
}
