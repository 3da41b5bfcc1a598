package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.azure.core.management.Region;
import com.azure.core.management.SubResource;
import com.azure.core.management.exception.ManagementException;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.authorization.models.RoleAssignmentCreateParameters;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.compute.models.ApiEntityReference;
import com.azure.resourcemanager.compute.models.LinuxConfiguration;
import com.azure.resourcemanager.compute.models.ResourceIdentityType;
import com.azure.resourcemanager.compute.models.Sku;
import com.azure.resourcemanager.compute.models.SshConfiguration;
import com.azure.resourcemanager.compute.models.SshPublicKey;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetIdentity;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetIpConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetNetworkConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetNetworkProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetOSProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMProfile;
import com.azure.resourcemanager.network.fluent.models.BackendAddressPoolInner;
import com.azure.resourcemanager.network.fluent.models.FrontendIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.InboundNatRuleInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancingRuleInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.OutboundRuleInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.fluent.models.SecurityRuleInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.LoadBalancerOutboundRuleProtocol;
import com.azure.resourcemanager.network.models.LoadBalancerSku;
import com.azure.resourcemanager.network.models.LoadBalancerSkuName;
import com.azure.resourcemanager.network.models.PublicIpAddressSku;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuName;
import com.azure.resourcemanager.network.models.QueryInboundNatRulePortMappingRequest;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.network.models.ServiceEndpointPropertiesFormat;
import com.azure.resourcemanager.network.models.TransportProtocol;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceInner;
import com.azure.resourcemanager.storage.fluent.models.FileShareInner;
import com.azure.resourcemanager.storage.models.DefaultAction;
import com.azure.resourcemanager.storage.models.Kind;
import com.azure.resourcemanager.storage.models.LargeFileSharesState;
import com.azure.resourcemanager.storage.models.NetworkRuleSet;
import com.azure.resourcemanager.storage.models.SkuName;
import com.azure.resourcemanager.storage.models.StorageAccountCreateParameters;
import com.azure.resourcemanager.storage.models.VirtualNetworkRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert;
import org.dsvmpools.emulator.AzureEmulator;
import org.dsvmpools.kit.TlsCertificate;
import org.dsvmpools.kit.arm.AzureSchemas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The emulator refuses, through the unchanged SDK clients, what ARM refuses, with ARM's code: each body that
 * today's main sent before issue #13 is refused, and its fixed form accepted.
 */
class ArmContractIT {
    private static final String SUB = EmulatorClients.SUBSCRIPTION;
    private static AzureEmulator emulator;
    private static EmulatorClients clients;

    @BeforeAll
    static void start() throws Exception {
        Path dataDir = Files.createTempDirectory("contract");
        TlsCertificate tls = TlsCertificate.loadOrCreate(dataDir);
        emulator = AzureEmulator.start(0, 0, 0.001, dataDir, tls.serverContext());
        clients = new EmulatorClients(emulator.armEndpoint(), tls.clientContext());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String group(String name) {
        clients.resources().resourceGroups().define(name).withRegion(Region.EUROPE_WEST).create();
        return name;
    }

    private static String id(String rg, String type, String name) {
        return "/subscriptions/" + SUB + "/resourceGroups/" + rg + "/providers/" + type + "/" + name;
    }

    /** The call fails with ARM's status and code, as the SDK reports them. */
    private static void refused(ThrowableAssert.ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOf(ManagementException.class).satisfies(e -> {
            ManagementException arm = (ManagementException) e;
            assertThat(arm.getValue().getCode()).as(arm.getMessage()).isEqualTo(code);
            assertThat(arm.getResponse().getStatusCode()).isEqualTo(status);
        });
    }

    private static SecurityRuleInner rule(String name, int priority, String port) {
        return new SecurityRuleInner().withName(name).withPriority(priority).withDirection(SecurityRuleDirection.INBOUND)
                .withAccess(SecurityRuleAccess.ALLOW).withProtocol(SecurityRuleProtocol.TCP).withSourcePortRange("*")
                .withDestinationAddressPrefix("*").withDestinationPortRange(port);
    }

    @Test
    void aServiceTagOrStarInThePluralSourceListIsRefusedAndTheSingularFieldAccepted() {
        String rg = group("contract-nsg");
        var nsgs = clients.network().serviceClient().getNetworkSecurityGroups();
        // As main sent them before #13: the tag and '*' in sourceAddressPrefixes.
        refused(() -> nsgs.createOrUpdate(rg, "probe-plural", new NetworkSecurityGroupInner().withLocation("westeurope")
                .withSecurityRules(List.of(rule("allow-load-balancer-probe", 120, "8090")
                        .withSourceAddressPrefixes(List.of("AzureLoadBalancer"))))), 400,
                "SecurityRuleParameterContainsUnsupportedValue");
        refused(() -> nsgs.createOrUpdate(rg, "deny-plural", new NetworkSecurityGroupInner().withLocation("westeurope")
                .withSecurityRules(List.of(rule("deny-all-inbound", 4000, "*").withSourceAddressPrefixes(List.of("*"))))),
                400, "SecurityRuleParameterContainsUnsupportedValue");

        NetworkSecurityGroupInner fixed = nsgs.createOrUpdate(rg, "fixed", new NetworkSecurityGroupInner()
                .withLocation("westeurope").withSecurityRules(List.of(
                        rule("allow-ssh", 100, "22").withSourceAddressPrefixes(List.of("203.0.113.0/24", "198.51.100.0/24")),
                        rule("allow-load-balancer-probe", 120, "8090").withSourceAddressPrefix("AzureLoadBalancer"),
                        rule("deny-all-inbound", 4000, "*").withSourceAddressPrefix("*"))));
        assertThat(fixed.securityRules()).hasSize(3);
    }

    @Test
    void aPriorityOutOfRangeOrTakenTwiceIsRefused() {
        String rg = group("contract-priority");
        var nsgs = clients.network().serviceClient().getNetworkSecurityGroups();
        refused(() -> nsgs.createOrUpdate(rg, "low", new NetworkSecurityGroupInner().withLocation("westeurope")
                .withSecurityRules(List.of(rule("a", 99, "22").withSourceAddressPrefix("*")))), 400,
                "SecurityRuleInvalidPriority");
        refused(() -> nsgs.createOrUpdate(rg, "twice", new NetworkSecurityGroupInner().withLocation("westeurope")
                .withSecurityRules(List.of(rule("a", 100, "22").withSourceAddressPrefix("*"),
                        rule("b", 100, "80").withSourceAddressPrefix("*")))), 400, "SecurityRulesConflictingPriority");
    }

    @Test
    void aShareAboveFiveTebibytesNeedsLargeFileSharesOnTheAccount() {
        String rg = group("contract-share");
        var accounts = clients.storage().serviceClient().getStorageAccounts();
        var shares = clients.storage().serviceClient().getFileShares();
        accounts.create(rg, "contractsmall", account(null));
        refused(() -> shares.create(rg, "contractsmall", "notebooks", new FileShareInner().withShareQuota(10_240)),
                400, "InvalidHeaderValue");
        assertThat(shares.create(rg, "contractsmall", "notebooks", new FileShareInner().withShareQuota(5_120))
                .shareQuota()).isEqualTo(5_120);

        accounts.create(rg, "contractlarge", account(null).withLargeFileSharesState(LargeFileSharesState.ENABLED));
        assertThat(shares.create(rg, "contractlarge", "notebooks", new FileShareInner().withShareQuota(102_400))
                .shareQuota()).isEqualTo(102_400);
        refused(() -> shares.create(rg, "contractlarge", "toolarge", new FileShareInner().withShareQuota(102_401)),
                400, "InvalidHeaderValue");
    }

    private static StorageAccountCreateParameters account(NetworkRuleSet rules) {
        return new StorageAccountCreateParameters().withSku(new com.azure.resourcemanager.storage.models.Sku()
                .withName(SkuName.STANDARD_LRS)).withKind(Kind.STORAGE_V2).withLocation("westeurope")
                .withNetworkRuleSet(rules);
    }

    @Test
    void aStorageFirewallSubnetNeedsTheStorageServiceEndpointInReach() {
        String rg = group("contract-firewall");
        var vnets = clients.network().serviceClient().getVirtualNetworks();
        var accounts = clients.storage().serviceClient().getStorageAccounts();
        vnets.createOrUpdate(rg, "plain", network("westeurope", null));
        vnets.createOrUpdate(rg, "endpoint", network("westeurope", "Microsoft.Storage"));
        vnets.createOrUpdate(rg, "paired", network("northeurope", "Microsoft.Storage"));
        vnets.createOrUpdate(rg, "faraway", network("eastus", "Microsoft.Storage"));
        vnets.createOrUpdate(rg, "global", network("eastus", "Microsoft.Storage.Global"));

        refused(() -> accounts.create(rg, "contractfw1", account(firewall(rg, "plain"))), 400,
                "NetworkAclsValidationFailure");
        refused(() -> accounts.create(rg, "contractfw2", account(firewall(rg, "faraway"))), 400,
                "NetworkAclsValidationFailure");
        refused(() -> accounts.create(rg, "contractfw3", account(firewall(rg, "missing"))), 400,
                "NetworkAclsValidationFailure");
        for (String allowed : List.of("endpoint", "paired", "global")) {
            assertThat(accounts.create(rg, "contract" + allowed, account(firewall(rg, allowed))).name())
                    .isEqualTo("contract" + allowed);
        }
    }

    private static VirtualNetworkInner network(String location, String endpoint) {
        SubnetInner subnet = new SubnetInner().withName("default").withAddressPrefix("10.1.0.0/24");
        if (endpoint != null) {
            subnet.withServiceEndpoints(List.of(new ServiceEndpointPropertiesFormat().withService(endpoint)));
        }
        return new VirtualNetworkInner().withLocation(location)
                .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of("10.1.0.0/16"))).withSubnets(List.of(subnet));
    }

    private static NetworkRuleSet firewall(String rg, String vnet) {
        return new NetworkRuleSet().withDefaultAction(DefaultAction.DENY).withVirtualNetworkRules(List.of(
                new VirtualNetworkRule().withVirtualNetworkResourceId(id(rg, "Microsoft.Network/virtualNetworks", vnet)
                        + "/subnets/default")));
    }

    @Test
    void aSubnetOutsideItsNetworksAddressSpaceIsRefused() {
        String rg = group("contract-subnet");
        VirtualNetworkInner outside = network("westeurope", null);
        outside.subnets().get(0).withAddressPrefix("10.2.0.0/24");
        refused(() -> clients.network().serviceClient().getVirtualNetworks().createOrUpdate(rg, "outside", outside),
                400, "NetcfgSubnetRangeOutsideVnet");
    }

    @Test
    void anAdminNameAzureReservesIsRefusedAtTheScaleSet() {
        String rg = group("contract-admin");
        var scaleSets = clients.compute().serviceClient().getVirtualMachineScaleSets();
        for (String reserved : List.of("admin", "Administrator", "root", "user1", "support_388945a0")) {
            refused(() -> scaleSets.createOrUpdate(rg, "vmss-" + reserved.toLowerCase(), scaleSet(reserved, null)), 400,
                    "InvalidParameter");
        }
        assertThat(scaleSets.createOrUpdate(rg, "vmss-ok", scaleSet("pooladmin", null)).name()).isEqualTo("vmss-ok");
    }

    @Test
    void customDataAboveAzuresLimitIsRefused() {
        String rg = group("contract-customdata");
        VirtualMachineScaleSetInner big = scaleSet("pooladmin", null);
        big.virtualMachineProfile().osProfile().withCustomData("A".repeat(87_384));
        refused(() -> clients.compute().serviceClient().getVirtualMachineScaleSets().createOrUpdate(rg, "big", big), 400,
                "InvalidParameter");
    }

    private static VirtualMachineScaleSetInner scaleSet(String admin, String backendPoolId) {
        VirtualMachineScaleSetInner vmss = new VirtualMachineScaleSetInner().withLocation("westeurope")
                .withSku(new Sku().withName("Standard_D4s_v5").withCapacity(1L))
                .withIdentity(new VirtualMachineScaleSetIdentity().withType(ResourceIdentityType.SYSTEM_ASSIGNED))
                .withVirtualMachineProfile(new VirtualMachineScaleSetVMProfile().withOsProfile(
                        new VirtualMachineScaleSetOSProfile().withComputerNamePrefix("pool").withAdminUsername(admin)
                                .withLinuxConfiguration(new LinuxConfiguration().withDisablePasswordAuthentication(true)
                                        .withSsh(new SshConfiguration().withPublicKeys(List.of(new SshPublicKey()
                                                .withPath("/home/" + admin + "/.ssh/authorized_keys")
                                                .withKeyData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHkey")))))));
        if (backendPoolId != null) {
            vmss.virtualMachineProfile().withNetworkProfile(new VirtualMachineScaleSetNetworkProfile()
                    .withNetworkInterfaceConfigurations(List.of(new VirtualMachineScaleSetNetworkConfiguration()
                            .withName("nic").withPrimary(true).withIpConfigurations(List.of(
                                    new VirtualMachineScaleSetIpConfiguration().withName("ipconfig").withPrimary(true)
                                            .withLoadBalancerBackendAddressPools(List.of(
                                                    new SubResource().withId(backendPoolId))))))));
        }
        return vmss;
    }

    @Test
    void aScaleSetKeepsItsPrincipalAndARoleAssignmentCannotBeRepointed() {
        String rg = group("contract-roles");
        var scaleSets = clients.compute().serviceClient().getVirtualMachineScaleSets();
        String first = scaleSets.createOrUpdate(rg, "keeps", scaleSet("pooladmin", null)).identity().principalId();
        String second = scaleSets.createOrUpdate(rg, "keeps", scaleSet("pooladmin", null)).identity().principalId();
        assertThat(second).as("a second PUT keeps the system-assigned identity").isEqualTo(first);

        var roles = clients.authorization().roleServiceClient().getRoleAssignments();
        String scope = "/subscriptions/" + SUB + "/resourceGroups/" + rg;
        String name = UUID.randomUUID().toString();
        roles.create(scope, name, grant(first, "81a9662b-bebf-436f-a333-f67b29880f12"));
        roles.create(scope, name, grant(first, "81a9662b-bebf-436f-a333-f67b29880f12"));
        String other = scaleSets.createOrUpdate(rg, "other", scaleSet("pooladmin", null)).identity().principalId();
        refused(() -> roles.create(scope, name, grant(other, "81a9662b-bebf-436f-a333-f67b29880f12")), 400,
                "RoleAssignmentUpdateNotPermitted");
        refused(() -> roles.create(scope, name, grant(first, "69566ab7-960f-475b-8e7c-b3118f30c6bd")), 400,
                "RoleAssignmentUpdateNotPermitted");
        refused(() -> roles.create(scope, UUID.randomUUID().toString(),
                grant(first, "81a9662b-bebf-436f-a333-f67b29880f12")), 409, "RoleAssignmentExists");
        refused(() -> roles.create(scope, UUID.randomUUID().toString(),
                grant(UUID.randomUUID().toString(), "81a9662b-bebf-436f-a333-f67b29880f12")), 400, "PrincipalNotFound");
        refused(() -> roles.create(scope, UUID.randomUUID().toString(),
                grant(first, "00000000-1111-2222-3333-444444444444")), 400, "RoleDefinitionDoesNotExist");

        String outside = UUID.randomUUID().toString();
        emulator.registerPrincipal(outside);
        assertThat(roles.create(scope, UUID.randomUUID().toString(),
                grant(outside, "69566ab7-960f-475b-8e7c-b3118f30c6bd")).principalId()).isEqualTo(outside);
    }

    private static RoleAssignmentCreateParameters grant(String principal, String role) {
        return new RoleAssignmentCreateParameters().withPrincipalId(principal).withPrincipalType(PrincipalType.SERVICE_PRINCIPAL)
                .withRoleDefinitionId("/subscriptions/" + SUB + "/providers/Microsoft.Authorization/roleDefinitions/" + role);
    }

    @Test
    void aStandardLoadBalancerMustBeConsistentAndItsNatRuleMapsEveryInstance() {
        String rg = group("contract-lb");
        clients.network().serviceClient().getPublicIpAddresses().createOrUpdate(rg, "ip", new PublicIpAddressInner()
                .withLocation("westeurope").withSku(new PublicIpAddressSku().withName(PublicIpAddressSkuName.STANDARD)));
        clients.network().serviceClient().getPublicIpAddresses().createOrUpdate(rg, "basic-ip", new PublicIpAddressInner()
                .withLocation("westeurope").withSku(new PublicIpAddressSku().withName(PublicIpAddressSkuName.BASIC)));
        var lbs = clients.network().serviceClient().getLoadBalancers();
        String lb = id(rg, "Microsoft.Network/loadBalancers", "lb");

        refused(() -> lbs.createOrUpdate(rg, "lb", loadBalancer(rg, lb, "ip", false, 50000)), 400,
                "LoadBalancingRuleMustDisableSNATSinceSameFrontendIPConfigurationIsReferencedByOutboundRule");
        refused(() -> lbs.createOrUpdate(rg, "lb", loadBalancer(rg, lb, "basic-ip", true, 50000)), 400,
                "DifferentSkuLoadBalancersAndPublicIPAddressNotAllowed");
        refused(() -> lbs.createOrUpdate(rg, "lb", loadBalancer(rg, lb, "ip", true, 7990)), 400,
                "InboundNatRuleFrontendPortRangesOverlap");
        LoadBalancerInner noRange = loadBalancer(rg, lb, "ip", true, 50000);
        noRange.inboundNatRules().get(0).withFrontendPortRangeEnd(null);
        refused(() -> lbs.createOrUpdate(rg, "lb", noRange), 400, "MissedInboundNatRuleV2Properties");
        LoadBalancerInner dangling = loadBalancer(rg, lb, "ip", true, 50000);
        dangling.loadBalancingRules().get(0).withBackendAddressPool(new SubResource().withId(lb
                + "/backendAddressPools/nowhere"));
        refused(() -> lbs.createOrUpdate(rg, "lb", dangling), 400, "InvalidResourceReference");

        lbs.createOrUpdate(rg, "lb", loadBalancer(rg, lb, "ip", true, 50000));
        var scaleSets = clients.compute().serviceClient().getVirtualMachineScaleSets();
        refused(() -> scaleSets.createOrUpdate(rg, "vmss", scaleSet("pooladmin", lb + "/backendAddressPools/none")),
                400, "InvalidResourceReference");
        VirtualMachineScaleSetInner vmss = scaleSet("pooladmin", lb + "/backendAddressPools/ssh").withSku(
                new Sku().withName("Standard_D4s_v5").withCapacity(3L));
        String vmssId = scaleSets.createOrUpdate(rg, "vmss", vmss).id();

        List<Integer> ports = new java.util.ArrayList<>();
        for (String instance : List.of("0", "1", "2")) {
            var mapping = lbs.listInboundNatRulePortMappings(rg, "lb", "ssh", new QueryInboundNatRulePortMappingRequest()
                    .withIpConfiguration(new SubResource().withId(vmssId + "/virtualMachines/" + instance
                            + "/networkInterfaces/nic/ipConfigurations/ipconfig")));
            ports.add(mapping.inboundNatRulePortMappings().get(0).frontendPort());
            assertThat(mapping.inboundNatRulePortMappings().get(0).backendPort()).isEqualTo(22);
        }
        assertThat(ports).containsExactly(50000, 50001, 50002);
        refused(() -> lbs.listInboundNatRulePortMappings(rg, "lb", "instances", new QueryInboundNatRulePortMappingRequest()
                .withIpConfiguration(new SubResource().withId(vmssId + "/virtualMachines/0/networkInterfaces/nic"
                        + "/ipConfigurations/ipconfig"))), 400, "InvalidParameter");
    }

    /** JupyterHub on 8000 beside an outbound rule on the same frontend, and SSH through a V2 NAT rule. */
    private static LoadBalancerInner loadBalancer(String rg, String lb, String ip, boolean disableSnat, int sshFirst) {
        SubResource frontend = new SubResource().withId(lb + "/frontendIPConfigurations/frontend");
        SubResource instances = new SubResource().withId(lb + "/backendAddressPools/instances");
        return new LoadBalancerInner().withLocation("westeurope")
                .withSku(new LoadBalancerSku().withName(LoadBalancerSkuName.STANDARD))
                .withFrontendIpConfigurations(List.of(new FrontendIpConfigurationInner().withName("frontend")
                        .withPublicIpAddress(new PublicIpAddressInner().withId(id(rg, "Microsoft.Network/publicIPAddresses", ip)))))
                .withBackendAddressPools(List.of(new BackendAddressPoolInner().withName("instances"),
                        new BackendAddressPoolInner().withName("ssh")))
                .withLoadBalancingRules(List.of(new LoadBalancingRuleInner().withName("jupyterhub")
                        .withFrontendIpConfiguration(frontend).withBackendAddressPool(instances)
                        .withProtocol(TransportProtocol.TCP).withFrontendPort(8000).withBackendPort(8000)
                        .withDisableOutboundSnat(disableSnat)))
                .withInboundNatRules(List.of(new InboundNatRuleInner().withName("ssh").withFrontendIpConfiguration(frontend)
                        .withBackendAddressPool(new SubResource().withId(lb + "/backendAddressPools/ssh"))
                        .withProtocol(TransportProtocol.TCP).withFrontendPortRangeStart(sshFirst)
                        .withFrontendPortRangeEnd(sshFirst + 99).withBackendPort(22)))
                .withOutboundRules(List.of(new OutboundRuleInner().withName("outbound")
                        .withFrontendIpConfigurations(List.of(frontend)).withBackendAddressPool(instances)
                        .withProtocol(LoadBalancerOutboundRuleProtocol.ALL)));
    }

    @Test
    void aBodyThatBreaksTheSchemaIsRefusedWithItsPath() {
        assumeTrue(AzureSchemas.forTests().isPresent(),
                "Azure's schemas are not at " + AzureSchemas.defaultFolder() + ": schema checks are off");
        String rg = group("contract-schema");
        var generic = clients.resources().genericResources().manager().serviceClient().getResources();
        GenericResourceInner misspelled = new GenericResourceInner().withLocation("westeurope")
                .withProperties(Map.of("securityRules", List.of(Map.of("name", "r", "properties", Map.of(
                        "priority", 100, "direction", "Inbound", "access", "Allow", "protocol", "Tcp",
                        "sourceAdressPrefix", "*", "destinationPortRange", "22")))));
        assertThatThrownBy(() -> generic.createOrUpdateById(
                id(rg, "Microsoft.Network/networkSecurityGroups", "typo"), "2025-03-01", misspelled)).isInstanceOf(ManagementException.class).satisfies(e -> {
                    ManagementException arm = (ManagementException) e;
                    assertThat(arm.getValue().getCode()).isEqualTo("InvalidRequestContent");
                    assertThat(arm.getValue().getTarget())
                            .isEqualTo("properties.securityRules[0].properties.sourceAdressPrefix");
                });
        refused(() -> generic.createOrUpdateById(
                id(rg, "Microsoft.Network/networkSecurityGroups", "old"), "2019-02-01",
                new GenericResourceInner().withLocation("westeurope")), 400, "NoRegisteredProviderFound");
        refused(() -> generic.createOrUpdateById(
                id(rg, "Microsoft.Unknown/things", "thing"), "2025-03-01",
                new GenericResourceInner().withLocation("westeurope")), 400, "InvalidResourceType");
    }
}
