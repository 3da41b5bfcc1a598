package org.dsvmpools.azure;

import com.azure.core.management.SubResource;
import com.azure.resourcemanager.authorization.models.PrincipalType;
import com.azure.resourcemanager.authorization.models.RoleAssignmentCreateParameters;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.compute.models.ApiEntityReference;
import com.azure.resourcemanager.compute.models.CachingTypes;
import com.azure.resourcemanager.compute.models.DiskCreateOptionTypes;
import com.azure.resourcemanager.compute.models.ImageReference;
import com.azure.resourcemanager.compute.models.LinuxConfiguration;
import com.azure.resourcemanager.compute.models.OrchestrationMode;
import com.azure.resourcemanager.compute.models.SshConfiguration;
import com.azure.resourcemanager.compute.models.UpgradeMode;
import com.azure.resourcemanager.compute.models.UpgradePolicy;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetIdentity;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetIpConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetManagedDiskParameters;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetNetworkConfiguration;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetNetworkProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetOSDisk;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetOSProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetStorageProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMProfile;
import com.azure.resourcemanager.network.fluent.models.BackendAddressPoolInner;
import com.azure.resourcemanager.network.fluent.models.FrontendIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.InboundNatRuleInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancerInner;
import com.azure.resourcemanager.network.fluent.models.LoadBalancingRuleInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.OutboundRuleInner;
import com.azure.resourcemanager.network.fluent.models.ProbeInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.fluent.models.SecurityRuleInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.IpAllocationMethod;
import com.azure.resourcemanager.network.models.LoadBalancerOutboundRuleProtocol;
import com.azure.resourcemanager.network.models.LoadBalancerSku;
import com.azure.resourcemanager.network.models.LoadBalancerSkuName;
import com.azure.resourcemanager.network.models.LoadDistribution;
import com.azure.resourcemanager.network.models.ProbeProtocol;
import com.azure.resourcemanager.network.models.PublicIpAddressDnsSettings;
import com.azure.resourcemanager.network.models.PublicIpAddressSku;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuName;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.network.models.ServiceEndpointPropertiesFormat;
import com.azure.resourcemanager.network.models.TransportProtocol;
import com.azure.resourcemanager.storage.fluent.models.FileServicePropertiesInner;
import com.azure.resourcemanager.storage.fluent.models.FileShareInner;
import com.azure.resourcemanager.storage.models.Bypass;
import com.azure.resourcemanager.storage.models.DefaultAction;
import com.azure.resourcemanager.storage.models.DeleteRetentionPolicy;
import com.azure.resourcemanager.storage.models.EnabledProtocols;
import com.azure.resourcemanager.storage.models.Kind;
import com.azure.resourcemanager.storage.models.LargeFileSharesState;
import com.azure.resourcemanager.storage.models.MinimumTlsVersion;
import com.azure.resourcemanager.storage.models.NetworkRuleSet;
import com.azure.resourcemanager.storage.models.SkuName;
import com.azure.resourcemanager.storage.models.StorageAccountCreateParameters;
import com.azure.resourcemanager.storage.models.VirtualNetworkRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.provisioning.Outputs;
import org.dsvmpools.provisioning.PoolBlueprint;
import org.dsvmpools.provisioning.ResourceKey;

/**
 * Blueprint resources as the resource-manager SDK's request models: a straight translation, every value decided
 * by the blueprint. Sub-resource ids (subnet, backend pool, NAT pool) are derived from the parents' ids.
 */
final class ArmModels {
    static final String FRONTEND = "frontend";
    static final String BACKEND_POOL = "instances";
    /** The admin's per-instance SSH: its own backend pool, so that its NAT rule maps only what it should. */
    static final String SSH_BACKEND_POOL = "ssh";
    static final String SSH_NAT_RULE = "ssh";
    static final String PROBE = "jupyterhub";
    static final String NIC = "nic";
    static final String IP_CONFIG = "ipconfig";

    private final ArmIds ids;

    ArmModels(ArmIds ids) {
        this.ids = ids;
    }

    NetworkSecurityGroupInner securityGroup(PoolBlueprint.ResourceGroup group, PoolBlueprint.SecurityGroup nsg) {
        List<SecurityRuleInner> rules = new ArrayList<>();
        for (PoolBlueprint.SecurityRule rule : nsg.inboundRules()) {
            SecurityRuleInner inner = new SecurityRuleInner().withName(rule.name()).withPriority(rule.priority())
                    .withDirection(SecurityRuleDirection.INBOUND)
                    .withAccess(rule.allow() ? SecurityRuleAccess.ALLOW : SecurityRuleAccess.DENY)
                    .withProtocol(SecurityRuleProtocol.fromString(rule.protocol())).withSourcePortRange("*")
                    .withDestinationAddressPrefix("*").withDestinationPortRange(rule.destinationPort());
            // ARM takes a service tag or '*' only in the singular field; the plural list is for addresses only.
            rules.add(rule.sources().size() == 1 ? inner.withSourceAddressPrefix(rule.sources().get(0))
                    : inner.withSourceAddressPrefixes(rule.sources()));
        }
        return new NetworkSecurityGroupInner().withSecurityRules(rules).withLocation(group.location())
                .withTags(group.tags());
    }

    PublicIpAddressInner publicIp(PoolBlueprint.ResourceGroup group, PoolBlueprint.PublicIp ip) {
        return new PublicIpAddressInner().withSku(new PublicIpAddressSku().withName(PublicIpAddressSkuName.STANDARD))
                .withPublicIpAllocationMethod(IpAllocationMethod.STATIC)
                .withDnsSettings(new PublicIpAddressDnsSettings().withDomainNameLabel(ip.dnsLabel()))
                .withLocation(group.location()).withTags(group.tags());
    }

    VirtualNetworkInner network(PoolBlueprint.ResourceGroup group, PoolBlueprint.VirtualNetwork vnet) {
        SubnetInner subnet = new SubnetInner().withName(vnet.subnet()).withAddressPrefix(vnet.subnetPrefix())
                .withNetworkSecurityGroup(new NetworkSecurityGroupInner().withId(
                        ids.of(group, "Microsoft.Network/networkSecurityGroups", vnet.securityGroup())))
                .withServiceEndpoints(vnet.serviceEndpoints().stream()
                        .map(service -> new ServiceEndpointPropertiesFormat().withService(service)).toList());
        return new VirtualNetworkInner()
                .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of(vnet.addressSpace())))
                .withSubnets(List.of(subnet)).withLocation(group.location()).withTags(group.tags());
    }

    /**
     * JupyterHub and users' SSH balanced with client-IP affinity, the admin's SSH per instance (sshd's second
     * port) through an inbound NAT rule (V2) on its own
     * backend pool, and an outbound rule: a Standard load balancer gives its backends no way out otherwise, and
     * the instances need one to fetch the storage key and packages.
     */
    LoadBalancerInner loadBalancer(PoolBlueprint.ResourceGroup group, PoolBlueprint.LoadBalancer lb) {
        String id = ids.of(group, "Microsoft.Network/loadBalancers", lb.name());
        SubResource frontend = new SubResource().withId(id + "/frontendIPConfigurations/" + FRONTEND);
        SubResource backend = new SubResource().withId(id + "/backendAddressPools/" + BACKEND_POOL);
        SubResource sshBackend = new SubResource().withId(id + "/backendAddressPools/" + SSH_BACKEND_POOL);
        return new LoadBalancerInner()
                .withSku(new LoadBalancerSku().withName(LoadBalancerSkuName.STANDARD))
                .withFrontendIpConfigurations(List.of(new FrontendIpConfigurationInner().withName(FRONTEND)
                        .withPublicIpAddress(new PublicIpAddressInner().withId(
                                ids.of(group, "Microsoft.Network/publicIPAddresses", lb.publicIp())))))
                .withBackendAddressPools(List.of(new BackendAddressPoolInner().withName(BACKEND_POOL),
                        new BackendAddressPoolInner().withName(SSH_BACKEND_POOL)))
                .withProbes(List.of(new ProbeInner().withName(PROBE)
                        .withProtocol(lb.probe().https() ? ProbeProtocol.HTTPS : ProbeProtocol.HTTP)
                        .withPort(lb.probe().port()).withRequestPath(lb.probe().path()).withIntervalInSeconds(15)
                        .withNumberOfProbes(2)))
                .withLoadBalancingRules(List.of(balanced("jupyterhub", lb.jupyterPort(), id, frontend, backend, lb),
                        balanced("ssh-pool", lb.sshPort(), id, frontend, backend, lb)))
                .withInboundNatRules(List.of(new InboundNatRuleInner().withName(SSH_NAT_RULE)
                        .withFrontendIpConfiguration(frontend).withBackendAddressPool(sshBackend)
                        .withProtocol(TransportProtocol.TCP).withFrontendPortRangeStart(lb.sshFrontendFirst())
                        .withFrontendPortRangeEnd(lb.sshFrontendLast()).withBackendPort(lb.adminSshPort())
                        .withIdleTimeoutInMinutes(lb.idleTimeoutMinutes()).withEnableTcpReset(true)))
                .withOutboundRules(List.of(new OutboundRuleInner().withName("outbound")
                        .withFrontendIpConfigurations(List.of(frontend)).withBackendAddressPool(backend)
                        .withProtocol(LoadBalancerOutboundRuleProtocol.ALL)))
                .withLocation(group.location()).withTags(group.tags());
    }

    /**
     * A port balanced over the serving instances: client-IP affinity (a reconnect lands on the same instance), the
     * drain-aware probe, TCP reset, and no outbound SNAT of its own (the outbound rule gives the way out).
     */
    private static LoadBalancingRuleInner balanced(String name, int port, String id, SubResource frontend,
                                                   SubResource backend, PoolBlueprint.LoadBalancer lb) {
        return new LoadBalancingRuleInner().withName(name)
                .withFrontendIpConfiguration(frontend).withBackendAddressPool(backend)
                .withProbe(new SubResource().withId(id + "/probes/" + PROBE))
                .withProtocol(TransportProtocol.TCP).withFrontendPort(port).withBackendPort(port)
                .withLoadDistribution(LoadDistribution.SOURCE_IP).withIdleTimeoutInMinutes(lb.idleTimeoutMinutes())
                .withEnableTcpReset(true).withDisableOutboundSnat(true);
    }

    StorageAccountCreateParameters storageAccount(PoolBlueprint.ResourceGroup group,
                                                  PoolBlueprint.StorageAccount account, Map<String, PoolResource> known) {
        List<VirtualNetworkRule> allowed = new ArrayList<>();
        if (account.allowPoolSubnet()) {
            allowed.add(new VirtualNetworkRule().withVirtualNetworkResourceId(subnetId(known)));
        }
        if (account.controlPlaneSubnetId() != null) {
            allowed.add(new VirtualNetworkRule().withVirtualNetworkResourceId(account.controlPlaneSubnetId()));
        }
        return new StorageAccountCreateParameters()
                .withSku(new com.azure.resourcemanager.storage.models.Sku().withName(SkuName.fromString(account.sku())))
                .withKind(Kind.STORAGE_V2).withLocation(group.location()).withTags(group.tags())
                .withEnableHttpsTrafficOnly(true).withMinimumTlsVersion(MinimumTlsVersion.TLS1_2)
                .withLargeFileSharesState(account.largeFileShares() ? LargeFileSharesState.ENABLED : null)
                .withAllowBlobPublicAccess(false)
                .withNetworkRuleSet(new NetworkRuleSet().withDefaultAction(DefaultAction.DENY)
                        .withBypass(Bypass.AZURE_SERVICES).withVirtualNetworkRules(allowed));
    }

    FileShareInner share(PoolBlueprint.FileShare share) {
        return new FileShareInner().withShareQuota(share.quotaGiB()).withEnabledProtocols(EnabledProtocols.SMB);
    }

    FileServicePropertiesInner shareSoftDelete(PoolBlueprint.FileShare share) {
        return new FileServicePropertiesInner().withShareDeleteRetentionPolicy(
                new DeleteRetentionPolicy().withEnabled(true).withDays(share.softDeleteDays()));
    }

    /** Uniform orchestration (see {@code Blueprint}), SSH keys only, managed identities, manual upgrades. */
    VirtualMachineScaleSetInner scaleSet(PoolBlueprint.ResourceGroup group, PoolBlueprint.ScaleSet vmss,
                                         Map<String, PoolResource> known) {
        String lb = known.get(ResourceKey.LOAD_BALANCER.value()).id();
        VirtualMachineScaleSetIpConfiguration ip = new VirtualMachineScaleSetIpConfiguration().withName(IP_CONFIG)
                .withPrimary(true).withSubnet(new ApiEntityReference().withId(subnetId(known)))
                .withLoadBalancerBackendAddressPools(List.of(
                        new SubResource().withId(lb + "/backendAddressPools/" + BACKEND_POOL),
                        new SubResource().withId(lb + "/backendAddressPools/" + SSH_BACKEND_POOL)));
        List<com.azure.resourcemanager.compute.models.SshPublicKey> keys = vmss.sshPublicKeys().stream()
                .map(key -> new com.azure.resourcemanager.compute.models.SshPublicKey()
                        .withPath("/home/" + vmss.adminUsername() + "/.ssh/authorized_keys").withKeyData(key))
                .toList();
        VirtualMachineScaleSetVMProfile profile = new VirtualMachineScaleSetVMProfile()
                .withOsProfile(new VirtualMachineScaleSetOSProfile().withComputerNamePrefix(vmss.computerNamePrefix())
                        .withAdminUsername(vmss.adminUsername())
                        .withCustomData(vmss.customData())
                        .withLinuxConfiguration(new LinuxConfiguration().withDisablePasswordAuthentication(true)
                                .withSsh(new SshConfiguration().withPublicKeys(keys))))
                .withStorageProfile(new VirtualMachineScaleSetStorageProfile()
                        .withImageReference(new ImageReference().withPublisher(vmss.imagePublisher())
                                .withOffer(vmss.imageOffer()).withSku(vmss.imageSku()).withVersion(vmss.imageVersion()))
                        .withOsDisk(new VirtualMachineScaleSetOSDisk().withCreateOption(DiskCreateOptionTypes.FROM_IMAGE)
                                .withCaching(CachingTypes.READ_WRITE)
                                .withManagedDisk(new VirtualMachineScaleSetManagedDiskParameters()
                                        .withStorageAccountType(
                                                com.azure.resourcemanager.compute.models.StorageAccountTypes.PREMIUM_LRS))))
                .withNetworkProfile(new VirtualMachineScaleSetNetworkProfile().withNetworkInterfaceConfigurations(
                        List.of(new VirtualMachineScaleSetNetworkConfiguration().withName(NIC).withPrimary(true)
                                .withIpConfigurations(List.of(ip)))));
        return new VirtualMachineScaleSetInner()
                .withSku(new com.azure.resourcemanager.compute.models.Sku().withName(vmss.vmSize()).withTier("Standard")
                        .withCapacity((long) vmss.capacity()))
                .withIdentity(identity(vmss))
                .withOrchestrationMode(OrchestrationMode.UNIFORM)
                .withUpgradePolicy(new UpgradePolicy().withMode(UpgradeMode.MANUAL))
                .withOverprovision(false).withSinglePlacementGroup(true)
                .withVirtualMachineProfile(profile).withLocation(group.location()).withTags(group.tags());
    }

    /** Its own identity always; the installation's hub identity too when JupyterHub signs in through Entra ID. */
    private static VirtualMachineScaleSetIdentity identity(PoolBlueprint.ScaleSet vmss) {
        if (vmss.hubIdentityId() == null) {
            return new VirtualMachineScaleSetIdentity().withType(
                    com.azure.resourcemanager.compute.models.ResourceIdentityType.SYSTEM_ASSIGNED);
        }
        return new VirtualMachineScaleSetIdentity()
                .withType(com.azure.resourcemanager.compute.models.ResourceIdentityType.SYSTEM_ASSIGNED_USER_ASSIGNED)
                .withUserAssignedIdentities(Map.of(vmss.hubIdentityId(),
                        new com.azure.resourcemanager.compute.models.VirtualMachineIdentityUserAssignedIdentities()));
    }

    /** The managed identity is a service principal: saying so spares ARM a directory lookup that can lag. */
    RoleAssignmentCreateParameters roleAssignment(PoolBlueprint.RoleAssignment role, Map<String, PoolResource> known) {
        return new RoleAssignmentCreateParameters().withRoleDefinitionId(role.roleDefinitionId())
                .withPrincipalId(role.principalId() != null ? role.principalId()
                        : known.get(role.principalKey().value()).outputs().get(Outputs.PRINCIPAL_ID))
                .withPrincipalType(PrincipalType.SERVICE_PRINCIPAL);
    }

    private static String subnetId(Map<String, PoolResource> known) {
        return known.get(ResourceKey.NETWORK.value()).outputs().get(Outputs.SUBNET_ID);
    }
}
