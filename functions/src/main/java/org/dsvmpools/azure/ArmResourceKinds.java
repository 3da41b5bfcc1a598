package org.dsvmpools.azure;

import static org.dsvmpools.azure.ArmObservations.begun;
import static org.dsvmpools.azure.ArmObservations.deleting;
import static org.dsvmpools.azure.ArmObservations.seen;

import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.provisioning.Observation;
import org.dsvmpools.provisioning.Outputs;
import org.dsvmpools.provisioning.PoolBlueprint;

/**
 * One handler per kind of blueprint resource: how its ARM id is made, how it is created, read and deleted through
 * the resource-manager SDK's service clients. Creates and deletes send the first request of a long-running
 * operation and return ARM's answer without polling it.
 */
final class ArmResourceKinds {
    /** One step of a kind: create, observe or delete, with the resource's ARM id. */
    @FunctionalInterface
    interface Step<R> {
        Observation apply(PoolBlueprint.ResourceGroup group, R resource, Map<String, PoolResource> known, String id);
    }

    /** The ARM id of a resource not yet read: derived from names, or from the resources it hangs off. */
    @FunctionalInterface
    interface IdOf<R> {
        String of(PoolBlueprint.ResourceGroup group, R resource, Map<String, PoolResource> known);
    }

    record Kind<R extends PoolBlueprint.Resource>(Class<R> resourceClass, IdOf<R> id, Step<R> create, Step<R> observe,
                                                  Step<R> delete) {
    }

    private final ArmClients arm;
    private final ArmIds ids;
    private final ArmModels models;
    private final Map<Class<?>, Kind<?>> kinds;

    ArmResourceKinds(ArmClients arm, ArmIds ids, ArmModels models) {
        this.arm = arm;
        this.ids = ids;
        this.models = models;
        this.kinds = Stream.of(securityGroups(), publicIps(), networks(), loadBalancers(), storageAccounts(), shares(),
                scaleSets(), roleAssignments()).collect(Collectors.toUnmodifiableMap(Kind::resourceClass, kind -> kind));
    }

    String id(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource, Map<String, PoolResource> known) {
        return kind(resource).id().of(group, resource, known);
    }

    Observation create(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                       Map<String, PoolResource> known) {
        return kind(resource).create().apply(group, resource, known, id(group, resource, known));
    }

    Observation observe(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource) {
        return kind(resource).observe().apply(group, resource, Map.of(), id(group, resource, Map.of()));
    }

    Observation delete(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                       Map<String, PoolResource> known) {
        return kind(resource).delete().apply(group, resource, known, id(group, resource, known));
    }

    @SuppressWarnings("unchecked")
    private <R extends PoolBlueprint.Resource> Kind<R> kind(R resource) {
        return (Kind<R>) kinds.get(resource.getClass());
    }

    private <R extends PoolBlueprint.Resource> IdOf<R> byName(String type) {
        return (group, resource, known) -> ids.of(group, type, resource.name());
    }

    private Kind<PoolBlueprint.SecurityGroup> securityGroups() {
        var client = arm.network().serviceClient().getNetworkSecurityGroups();
        return new Kind<>(PoolBlueprint.SecurityGroup.class, byName("Microsoft.Network/networkSecurityGroups"),
                (group, nsg, known, id) -> begun(id, client.createOrUpdateWithResponseAsync(group.name(), nsg.name(),
                        models.securityGroup(group, nsg))),
                (group, nsg, known, id) -> {
                    var found = client.getByResourceGroupWithResponse(group.name(), nsg.name(), null, Context.NONE)
                            .getValue();
                    return seen(id, found.provisioningState(), Map.of(), found.tags());
                },
                (group, nsg, known, id) -> deleting(client.deleteWithResponseAsync(group.name(), nsg.name())));
    }

    private Kind<PoolBlueprint.PublicIp> publicIps() {
        var client = arm.network().serviceClient().getPublicIpAddresses();
        return new Kind<>(PoolBlueprint.PublicIp.class, byName("Microsoft.Network/publicIPAddresses"),
                (group, ip, known, id) -> begun(id, client.createOrUpdateWithResponseAsync(group.name(), ip.name(),
                        models.publicIp(group, ip))),
                (group, ip, known, id) -> {
                    PublicIpAddressInner found = client.getByResourceGroupWithResponse(group.name(), ip.name(), null,
                            Context.NONE).getValue();
                    return seen(id, found.provisioningState(), found.dnsSettings() == null
                            || found.dnsSettings().fqdn() == null ? Map.of()
                            : Map.of(Outputs.FQDN, found.dnsSettings().fqdn()), found.tags());
                },
                (group, ip, known, id) -> deleting(client.deleteWithResponseAsync(group.name(), ip.name())));
    }

    private Kind<PoolBlueprint.VirtualNetwork> networks() {
        var client = arm.network().serviceClient().getVirtualNetworks();
        return new Kind<>(PoolBlueprint.VirtualNetwork.class, byName("Microsoft.Network/virtualNetworks"),
                (group, vnet, known, id) -> begun(id, client.createOrUpdateWithResponseAsync(group.name(), vnet.name(),
                        models.network(group, vnet))),
                (group, vnet, known, id) -> {
                    var found = client.getByResourceGroupWithResponse(group.name(), vnet.name(), null, Context.NONE)
                            .getValue();
                    return seen(id, found.provisioningState(),
                            Map.of(Outputs.SUBNET_ID, id + "/subnets/" + vnet.subnet()), found.tags());
                },
                (group, vnet, known, id) -> deleting(client.deleteWithResponseAsync(group.name(), vnet.name())));
    }

    private Kind<PoolBlueprint.LoadBalancer> loadBalancers() {
        var client = arm.network().serviceClient().getLoadBalancers();
        return new Kind<>(PoolBlueprint.LoadBalancer.class, byName("Microsoft.Network/loadBalancers"),
                (group, lb, known, id) -> begun(id, client.createOrUpdateWithResponseAsync(group.name(), lb.name(),
                        models.loadBalancer(group, lb))),
                (group, lb, known, id) -> {
                    var found = client.getByResourceGroupWithResponse(group.name(), lb.name(), null, Context.NONE)
                            .getValue();
                    return seen(id, found.provisioningState(), Map.of(), found.tags());
                },
                (group, lb, known, id) -> deleting(client.deleteWithResponseAsync(group.name(), lb.name())));
    }

    /** The Storage resource provider deletes an account synchronously: only a purge in an existing group asks. */
    private Kind<PoolBlueprint.StorageAccount> storageAccounts() {
        var client = arm.storage().serviceClient().getStorageAccounts();
        return new Kind<>(PoolBlueprint.StorageAccount.class, byName("Microsoft.Storage/storageAccounts"),
                (group, account, known, id) -> begun(id, client.createWithResponseAsync(group.name(), account.name(),
                        models.storageAccount(group, account, known))),
                (group, account, known, id) -> {
                    var found = client.getByResourceGroupWithResponse(group.name(), account.name(), null,
                            Context.NONE).getValue();
                    return seen(id, found.provisioningState(), Map.of(), found.tags());
                },
                (group, account, known, id) -> {
                    client.deleteWithResponse(group.name(), account.name(), Context.NONE);
                    return Observation.missing();
                });
    }

    /** Share soft delete is a property of the account's file service; the share itself is created synchronously. */
    private Kind<PoolBlueprint.FileShare> shares() {
        var shares = arm.storage().serviceClient().getFileShares();
        return new Kind<>(PoolBlueprint.FileShare.class,
                (group, share, known) -> ids.of(group, "Microsoft.Storage/storageAccounts", share.account())
                        + "/fileServices/default/shares/" + share.name(),
                (group, share, known, id) -> {
                    arm.storage().serviceClient().getFileServices().setServicePropertiesWithResponse(group.name(),
                            share.account(), models.shareSoftDelete(share), Context.NONE);
                    shares.createWithResponse(group.name(), share.account(), share.name(), models.share(share), null,
                            Context.NONE);
                    return new Observation(Observation.State.SUCCEEDED, id, Map.of());
                },
                (group, share, known, id) -> {
                    shares.getWithResponse(group.name(), share.account(), share.name(), null, null, Context.NONE);
                    return new Observation(Observation.State.SUCCEEDED, id, Map.of());
                },
                (group, share, known, id) -> {
                    shares.deleteWithResponse(group.name(), share.account(), share.name(), null, null, Context.NONE);
                    return Observation.missing();
                });
    }

    private Kind<PoolBlueprint.ScaleSet> scaleSets() {
        var client = arm.compute().serviceClient().getVirtualMachineScaleSets();
        return new Kind<>(PoolBlueprint.ScaleSet.class, byName("Microsoft.Compute/virtualMachineScaleSets"),
                (group, vmss, known, id) -> begun(id, client.createOrUpdateWithResponseAsync(group.name(), vmss.name(),
                        models.scaleSet(group, vmss, known), null, null)),
                (group, vmss, known, id) -> {
                    VirtualMachineScaleSetInner found = client.getByResourceGroupWithResponse(group.name(),
                            vmss.name(), null, Context.NONE).getValue();
                    return seen(id, found.provisioningState(), found.identity() == null
                            || found.identity().principalId() == null ? Map.of()
                            : Map.of(Outputs.PRINCIPAL_ID, found.identity().principalId()), found.tags());
                },
                (group, vmss, known, id) -> deleting(client.deleteWithResponseAsync(group.name(), vmss.name(), null)));
    }

    /** Role assignments are created and deleted at once by their provider, and never observed. */
    private Kind<PoolBlueprint.RoleAssignment> roleAssignments() {
        var client = arm.authorization().roleServiceClient().getRoleAssignments();
        return new Kind<>(PoolBlueprint.RoleAssignment.class,
                (group, role, known) -> scope(group, role, known) + "/providers/Microsoft.Authorization/roleAssignments/"
                        + role.name(),
                (group, role, known, id) -> {
                    client.createWithResponse(scope(group, role, known), role.name(),
                            models.roleAssignment(role, known), Context.NONE);
                    return new Observation(Observation.State.SUCCEEDED, id, Map.of());
                },
                (group, role, known, id) -> {
                    throw new IllegalArgumentException("role assignments are created at once and never observed");
                },
                (group, role, known, id) -> {
                    client.deleteWithResponse(scope(group, role, known), role.name(), null, Context.NONE);
                    return Observation.missing();
                });
    }

    /** A role assignment is scoped to a resource of the pool (its storage account) or one outside it. */
    private String scope(PoolBlueprint.ResourceGroup group, PoolBlueprint.RoleAssignment role,
                         Map<String, PoolResource> known) {
        if (role.scopeId() != null) {
            return role.scopeId();
        }
        PoolResource target = known.get(role.scopeKey().value());
        return target.id() != null ? target.id() : ids.of(group, "Microsoft.Storage/storageAccounts", target.name());
    }
}
