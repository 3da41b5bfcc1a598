package org.dsvmpools.azure;

import com.azure.core.management.SubResource;
import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetVMInner;
import com.azure.resourcemanager.network.models.QueryInboundNatRulePortMappingRequest;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dsvmpools.cloud.CloudException;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.provisioning.CloudResources;
import org.dsvmpools.provisioning.Observation;
import org.dsvmpools.provisioning.PoolBlueprint;

/**
 * {@link CloudResources} on the resource-manager SDK. Creates and deletes go through the service clients'
 * {@code ...WithResponseAsync} methods, which send the first request of a long-running operation and return its
 * response without polling: the worker records the operation and looks again later. The SDK's retry policy
 * still retries throttling and server errors, honouring {@code Retry-After}. Every SDK exception is translated
 * into a {@link CloudException} here; none reaches the domain.
 */
public final class ArmCloudResources implements CloudResources {

    private final ArmClients arm;
    private final ArmIds ids;
    private final ArmResourceKinds kinds;

    public ArmCloudResources(ArmClients arm) {
        this.arm = arm;
        this.ids = new ArmIds(arm.subscriptionId());
        this.kinds = new ArmResourceKinds(arm, ids, new ArmModels(ids));
    }

    @Override
    public void ensureGroup(PoolBlueprint.ResourceGroup group) {
        ArmCalls.call(() -> arm.resources().serviceClient().getResourceGroups().createOrUpdateWithResponse(group.name(),
                new ResourceGroupInner().withLocation(group.location()).withTags(group.tags()), Context.NONE));
    }

    @Override
    public Observation beginCreate(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                                   Map<String, PoolResource> known) {
        return ArmCalls.call(() -> kinds.create(group, resource, known));
    }

    @Override
    public Observation observe(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource) {
        try {
            return ArmCalls.call(() -> kinds.observe(group, resource));
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
        try {
            return ArmCalls.call(() -> kinds.delete(group, resource, known));
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
            return ArmCalls.call(() -> ArmObservations.deleting(arm.resources().serviceClient().getResourceGroups()
                    .deleteWithResponseAsync(group.name(), null)));
        } catch (CloudException e) {
            if (e.status() == 404) {
                return Observation.missing();
            }
            throw e;
        }
    }

    @Override
    public java.util.Optional<Map<String, String>> groupTags(PoolBlueprint.ResourceGroup group) {
        try {
            ResourceGroupInner found = ArmCalls.call(() -> arm.resources().serviceClient().getResourceGroups()
                    .getWithResponse(group.name(), Context.NONE).getValue());
            return java.util.Optional.of(found.tags() == null ? Map.of() : found.tags());
        } catch (CloudException e) {
            if (e.status() == 404) {
                return java.util.Optional.empty();
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
}
