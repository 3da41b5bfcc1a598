package org.dsvmpools.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.rest.Response;
import com.azure.core.management.SubResource;
import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetVMInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.QueryInboundNatRulePortMappingRequest;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dsvmpools.cloud.CloudException;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.provisioning.CloudResources;
import org.dsvmpools.provisioning.Observation;
import org.dsvmpools.provisioning.Outputs;
import org.dsvmpools.provisioning.PoolBlueprint;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@link CloudResources} on the resource-manager SDK. Creates and deletes go through the service clients'
 * {@code ...WithResponseAsync} methods, which send the first request of a long-running operation and return its
 * response without polling: the worker records the operation and looks again later. The SDK's retry policy
 * still retries throttling and server errors, honouring {@code Retry-After}. Every SDK exception is translated
 * into a {@link CloudException} here; none reaches the domain.
 */
public final class ArmCloudResources implements CloudResources {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArmClients arm;
    private final ArmIds ids;
    private final ArmModels models;

    public ArmCloudResources(ArmClients arm) {
        this.arm = arm;
        this.ids = new ArmIds(arm.subscriptionId());
        this.models = new ArmModels(ids);
    }

    @Override
    public void ensureGroup(PoolBlueprint.ResourceGroup group) {
        ArmCalls.call(() -> arm.resources().serviceClient().getResourceGroups().createOrUpdateWithResponse(group.name(),
                new ResourceGroupInner().withLocation(group.location()).withTags(group.tags()), Context.NONE));
    }

    @Override
    public Observation beginCreate(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                                   Map<String, PoolResource> known) {
        String rg = group.name();
        String id = id(group, resource, known);
        return ArmCalls.call(() -> {
            if (resource instanceof PoolBlueprint.SecurityGroup nsg) {
                return begun(id, arm.network().serviceClient().getNetworkSecurityGroups()
                        .createOrUpdateWithResponseAsync(rg, nsg.name(), models.securityGroup(group, nsg)));
            }
            if (resource instanceof PoolBlueprint.PublicIp ip) {
                return begun(id, arm.network().serviceClient().getPublicIpAddresses()
                        .createOrUpdateWithResponseAsync(rg, ip.name(), models.publicIp(group, ip)));
            }
            if (resource instanceof PoolBlueprint.VirtualNetwork vnet) {
                return begun(id, arm.network().serviceClient().getVirtualNetworks()
                        .createOrUpdateWithResponseAsync(rg, vnet.name(), models.network(group, vnet)));
            }
            if (resource instanceof PoolBlueprint.LoadBalancer lb) {
                return begun(id, arm.network().serviceClient().getLoadBalancers()
                        .createOrUpdateWithResponseAsync(rg, lb.name(), models.loadBalancer(group, lb)));
            }
            if (resource instanceof PoolBlueprint.StorageAccount account) {
                return begun(id, arm.storage().serviceClient().getStorageAccounts()
                        .createWithResponseAsync(rg, account.name(), models.storageAccount(group, account, known)));
            }
            if (resource instanceof PoolBlueprint.FileShare share) {
                return createShare(rg, id, share);
            }
            if (resource instanceof PoolBlueprint.ScaleSet vmss) {
                return begun(id, arm.compute().serviceClient().getVirtualMachineScaleSets()
                        .createOrUpdateWithResponseAsync(rg, vmss.name(), models.scaleSet(group, vmss, known), null,
                                null));
            }
            PoolBlueprint.RoleAssignment role = (PoolBlueprint.RoleAssignment) resource;
            arm.authorization().roleServiceClient().getRoleAssignments().createWithResponse(scope(group, role, known),
                    role.name(), models.roleAssignment(role, known), Context.NONE);
            return new Observation(Observation.State.SUCCEEDED, id, Map.of());
        });
    }

    /** Share soft delete is a property of the account's file service; the share itself is created synchronously. */
    private Observation createShare(String rg, String id, PoolBlueprint.FileShare share) {
        arm.storage().serviceClient().getFileServices().setServicePropertiesWithResponse(rg, share.account(),
                models.shareSoftDelete(share), Context.NONE);
        arm.storage().serviceClient().getFileShares().createWithResponse(rg, share.account(), share.name(),
                models.share(share), null, Context.NONE);
        return new Observation(Observation.State.SUCCEEDED, id, Map.of());
    }

    @Override
    public Observation observe(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource) {
        String rg = group.name();
        String id = id(group, resource, Map.of());
        try {
            return ArmCalls.call(() -> {
                if (resource instanceof PoolBlueprint.SecurityGroup nsg) {
                    return seen(id, arm.network().serviceClient().getNetworkSecurityGroups()
                            .getByResourceGroupWithResponse(rg, nsg.name(), null, Context.NONE).getValue()
                            .provisioningState(), Map.of());
                }
                if (resource instanceof PoolBlueprint.PublicIp ip) {
                    var found = arm.network().serviceClient().getPublicIpAddresses()
                            .getByResourceGroupWithResponse(rg, ip.name(), null, Context.NONE).getValue();
                    return seen(id, found.provisioningState(), found.dnsSettings() == null
                            || found.dnsSettings().fqdn() == null ? Map.of()
                            : Map.of(Outputs.FQDN, found.dnsSettings().fqdn()));
                }
                if (resource instanceof PoolBlueprint.VirtualNetwork vnet) {
                    VirtualNetworkInner found = arm.network().serviceClient().getVirtualNetworks()
                            .getByResourceGroupWithResponse(rg, vnet.name(), null, Context.NONE).getValue();
                    return seen(id, found.provisioningState(), Map.of(Outputs.SUBNET_ID, id + "/subnets/"
                            + vnet.subnet()));
                }
                if (resource instanceof PoolBlueprint.LoadBalancer lb) {
                    return seen(id, arm.network().serviceClient().getLoadBalancers()
                            .getByResourceGroupWithResponse(rg, lb.name(), null, Context.NONE).getValue()
                            .provisioningState(), Map.of());
                }
                if (resource instanceof PoolBlueprint.StorageAccount account) {
                    return seen(id, arm.storage().serviceClient().getStorageAccounts()
                            .getByResourceGroupWithResponse(rg, account.name(), null, Context.NONE).getValue()
                            .provisioningState(), Map.of());
                }
                if (resource instanceof PoolBlueprint.FileShare share) {
                    arm.storage().serviceClient().getFileShares().getWithResponse(rg, share.account(), share.name(),
                            null, null, Context.NONE);
                    return new Observation(Observation.State.SUCCEEDED, id, Map.of());
                }
                if (resource instanceof PoolBlueprint.ScaleSet vmss) {
                    VirtualMachineScaleSetInner found = arm.compute().serviceClient().getVirtualMachineScaleSets()
                            .getByResourceGroupWithResponse(rg, vmss.name(), null, Context.NONE).getValue();
                    return seen(id, found.provisioningState(), principal(found));
                }
                throw new IllegalArgumentException("role assignments are created at once and never observed");
            });
        } catch (CloudException e) {
            if (e.status() == 404) {
                return Observation.missing();
            }
            throw e;
        }
    }

    @Override
    public Observation beginDelete(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                                   Map<String, PoolResource> known) {
        String rg = group.name();
        try {
            return ArmCalls.call(() -> {
                if (resource instanceof PoolBlueprint.SecurityGroup nsg) {
                    return deleting(arm.network().serviceClient().getNetworkSecurityGroups()
                            .deleteWithResponseAsync(rg, nsg.name()));
                }
                if (resource instanceof PoolBlueprint.PublicIp ip) {
                    return deleting(arm.network().serviceClient().getPublicIpAddresses()
                            .deleteWithResponseAsync(rg, ip.name()));
                }
                if (resource instanceof PoolBlueprint.VirtualNetwork vnet) {
                    return deleting(arm.network().serviceClient().getVirtualNetworks()
                            .deleteWithResponseAsync(rg, vnet.name()));
                }
                if (resource instanceof PoolBlueprint.LoadBalancer lb) {
                    return deleting(arm.network().serviceClient().getLoadBalancers()
                            .deleteWithResponseAsync(rg, lb.name()));
                }
                if (resource instanceof PoolBlueprint.ScaleSet vmss) {
                    return deleting(arm.compute().serviceClient().getVirtualMachineScaleSets()
                            .deleteWithResponseAsync(rg, vmss.name(), null));
                }
                if (resource instanceof PoolBlueprint.RoleAssignment role) {
                    arm.authorization().roleServiceClient().getRoleAssignments().deleteWithResponse(
                            scope(group, role, known), role.name(), null, Context.NONE);
                    return Observation.missing();
                }
                // Storage account and share are deleted synchronously; only a purge in an existing group asks.
                if (resource instanceof PoolBlueprint.FileShare share) {
                    arm.storage().serviceClient().getFileShares().deleteWithResponse(rg, share.account(),
                            share.name(), null, null, Context.NONE);
                    return Observation.missing();
                }
                arm.storage().serviceClient().getStorageAccounts().deleteWithResponse(rg, resource.name(),
                        Context.NONE);
                return Observation.missing();
            });
        } catch (CloudException e) {
            if (e.status() == 404) {
                return Observation.missing();
            }
            throw e;
        }
    }

    @Override
    public Observation beginDeleteGroup(PoolBlueprint.ResourceGroup group) {
        try {
            return ArmCalls.call(() -> deleting(arm.resources().serviceClient().getResourceGroups()
                    .deleteWithResponseAsync(group.name(), null)));
        } catch (CloudException e) {
            if (e.status() == 404) {
                return Observation.missing();
            }
            throw e;
        }
    }

    @Override
    public boolean groupExists(PoolBlueprint.ResourceGroup group) {
        return ArmCalls.call(() -> arm.resources().serviceClient().getResourceGroups().checkExistence(group.name()));
    }

    /**
     * One list of the instances, then the NAT rule's mapping of each instance's IP configuration: ARM's
     * "List Inbound Nat Rule Port Mappings" on the SSH backend pool.
     */
    @Override
    public Map<String, Integer> sshPorts(PoolBlueprint.ResourceGroup group, PoolBlueprint.LoadBalancer loadBalancer,
                                         PoolBlueprint.ScaleSet scaleSet) {
        String scaleSetId = ids.of(group, "Microsoft.Compute/virtualMachineScaleSets", scaleSet.name());
        return ArmCalls.call(() -> {
            Map<String, Integer> ports = new HashMap<>();
            for (VirtualMachineScaleSetVMInner vm : arm.compute().serviceClient().getVirtualMachineScaleSetVMs()
                    .list(group.name(), scaleSet.name())) {
                String ipConfiguration = scaleSetId + "/virtualMachines/" + vm.instanceId() + "/networkInterfaces/"
                        + ArmModels.NIC + "/ipConfigurations/" + ArmModels.IP_CONFIG;
                var mappings = arm.network().serviceClient().getLoadBalancers().listInboundNatRulePortMappings(
                        group.name(), loadBalancer.name(), ArmModels.SSH_BACKEND_POOL,
                        new QueryInboundNatRulePortMappingRequest().withIpConfiguration(
                                new SubResource().withId(ipConfiguration)), Context.NONE);
                mappings.inboundNatRulePortMappings().stream()
                        .filter(m -> ArmModels.SSH_NAT_RULE.equals(m.inboundNatRuleName()))
                        .findFirst().ifPresent(m -> ports.put(vm.instanceId(), m.frontendPort()));
            }
            return ports;
        });
    }

    private String id(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                      Map<String, PoolResource> known) {
        if (resource instanceof PoolBlueprint.FileShare share) {
            return ids.of(group, "Microsoft.Storage/storageAccounts", share.account())
                    + "/fileServices/default/shares/" + share.name();
        }
        if (resource instanceof PoolBlueprint.RoleAssignment role) {
            return scope(group, role, known) + "/providers/Microsoft.Authorization/roleAssignments/" + role.name();
        }
        return ids.of(group, typeOf(resource), resource.name());
    }

    private static String typeOf(PoolBlueprint.Resource resource) {
        if (resource instanceof PoolBlueprint.SecurityGroup) {
            return "Microsoft.Network/networkSecurityGroups";
        }
        if (resource instanceof PoolBlueprint.PublicIp) {
            return "Microsoft.Network/publicIPAddresses";
        }
        if (resource instanceof PoolBlueprint.VirtualNetwork) {
            return "Microsoft.Network/virtualNetworks";
        }
        if (resource instanceof PoolBlueprint.LoadBalancer) {
            return "Microsoft.Network/loadBalancers";
        }
        if (resource instanceof PoolBlueprint.StorageAccount) {
            return "Microsoft.Storage/storageAccounts";
        }
        return "Microsoft.Compute/virtualMachineScaleSets";
    }

    /** A role assignment is scoped to the resource it grants access to: here, the pool's storage account. */
    private String scope(PoolBlueprint.ResourceGroup group, PoolBlueprint.RoleAssignment role,
                         Map<String, PoolResource> known) {
        if (role.scopeId() != null) {
            return role.scopeId();
        }
        PoolResource target = known.get(role.scopeKey().value());
        return target.id() != null ? target.id() : ids.of(group, "Microsoft.Storage/storageAccounts", target.name());
    }

    /** The first response of a create: its body's provisioning state, or "in progress" for a bare 202. */
    private static Observation begun(String id, Mono<Response<Flux<ByteBuffer>>> call) {
        ArmCalls.Begun response = ArmCalls.begin(call);
        JsonNode body = parse(response.body());
        Map<String, String> outputs = new HashMap<>();
        String principal = body.path("identity").path("principalId").asText("");
        if (!principal.isEmpty()) {
            outputs.put(Outputs.PRINCIPAL_ID, principal);
        }
        String fqdn = body.path("properties").path("dnsSettings").path("fqdn").asText("");
        if (!fqdn.isEmpty()) {
            outputs.put(Outputs.FQDN, fqdn);
        }
        for (JsonNode subnet : body.path("properties").path("subnets")) {
            outputs.put(Outputs.SUBNET_ID, subnet.path("id").asText(id + "/subnets/" + subnet.path("name").asText()));
        }
        String state = body.path("properties").path("provisioningState").asText("");
        Observation.State observed = state.isEmpty()
                ? (response.status() == 202 ? Observation.State.IN_PROGRESS : Observation.State.SUCCEEDED)
                : state(state);
        return new Observation(observed, id, outputs, retryAfter(response.headers()));
    }

    private static Observation deleting(Mono<Response<Flux<ByteBuffer>>> call) {
        ArmCalls.Begun response = ArmCalls.begin(call);
        return response.status() == 202
                ? new Observation(Observation.State.IN_PROGRESS, null, Map.of(), retryAfter(response.headers()))
                : Observation.missing();
    }

    private static Observation seen(String id, Object provisioningState, Map<String, String> outputs) {
        return new Observation(provisioningState == null ? Observation.State.SUCCEEDED
                : state(provisioningState.toString()), id, outputs);
    }

    private static Map<String, String> principal(VirtualMachineScaleSetInner scaleSet) {
        return scaleSet.identity() == null || scaleSet.identity().principalId() == null ? Map.of()
                : Map.of(Outputs.PRINCIPAL_ID, scaleSet.identity().principalId());
    }

    private static Observation.State state(String provisioningState) {
        return switch (provisioningState.toLowerCase(Locale.ROOT)) {
            case "succeeded" -> Observation.State.SUCCEEDED;
            case "failed", "canceled" -> Observation.State.FAILED;
            default -> Observation.State.IN_PROGRESS;
        };
    }

    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getValue(HttpHeaderName.RETRY_AFTER);
        try {
            return value == null ? null : Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
