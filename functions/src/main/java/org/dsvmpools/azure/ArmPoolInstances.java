package org.dsvmpools.azure;

import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.fluent.VirtualMachineScaleSetVMsClient;
import com.azure.resourcemanager.compute.fluent.VirtualMachineScaleSetsClient;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetVMInner;
import com.azure.resourcemanager.compute.models.ImageReference;
import com.azure.resourcemanager.compute.models.InstanceViewStatus;
import com.azure.resourcemanager.compute.models.InstanceViewTypes;
import com.azure.resourcemanager.compute.models.Sku;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetUpdate;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetUpdateStorageProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetUpdateVMProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMInstanceIDs;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMInstanceRequiredIDs;
import com.azure.resourcemanager.compute.models.VirtualMachineScaleSetVMProtectionPolicy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dsvmpools.pool.PoolImage;
import org.dsvmpools.scaling.Instance;
import org.dsvmpools.scaling.PoolInstances;
import org.dsvmpools.scaling.PowerState;
import org.dsvmpools.scaling.ScaleSetRef;
import org.dsvmpools.scaling.ScalingAction;

/**
 * {@link PoolInstances} on the compute SDK: one list call with {@code $expand=instanceView} for the instances and
 * their power states; starts, deallocations and deletions for chosen instance ids; new instances by raising the
 * capacity; scale-in protection and drains on each instance (a drain is the instance's user data, which its agent
 * reads from the instance metadata service). Operations are begun, never polled.
 */
public final class ArmPoolInstances implements PoolInstances {
    private final ArmClients arm;

    public ArmPoolInstances(ArmClients arm) {
        this.arm = arm;
    }

    private VirtualMachineScaleSetsClient scaleSets() {
        return arm.compute().serviceClient().getVirtualMachineScaleSets();
    }

    private VirtualMachineScaleSetVMsClient vms() {
        return arm.compute().serviceClient().getVirtualMachineScaleSetVMs();
    }

    @Override
    public List<Instance> list(ScaleSetRef scaleSet) {
        return ArmCalls.call(() -> {
            List<Instance> instances = new ArrayList<>();
            for (VirtualMachineScaleSetVMInner vm : vms().list(scaleSet.resourceGroup(), scaleSet.name(), null, null,
                    "instanceView", Context.NONE)) {
                PowerState power = powerState(vm);
                if (power != null) {
                    boolean protectedFromScaleIn = vm.protectionPolicy() != null
                            && Boolean.TRUE.equals(vm.protectionPolicy().protectFromScaleIn());
                    instances.add(new Instance(vm.instanceId(), power, protectedFromScaleIn, lastChange(vm)));
                }
            }
            return instances;
        });
    }

    @Override
    public void apply(ScaleSetRef scaleSet, ScalingAction action) {
        String rg = scaleSet.resourceGroup();
        String name = scaleSet.name();
        if (action instanceof ScalingAction.Start start) {
            ArmCalls.begin(scaleSets().startWithResponseAsync(rg, name,
                    new VirtualMachineScaleSetVMInstanceIDs().withInstanceIds(start.instanceIds())));
        } else if (action instanceof ScalingAction.Deallocate deallocate) {
            ArmCalls.begin(scaleSets().deallocateWithResponseAsync(rg, name, null,
                    new VirtualMachineScaleSetVMInstanceIDs().withInstanceIds(deallocate.instanceIds())));
        } else if (action instanceof ScalingAction.Delete delete) {
            ArmCalls.begin(scaleSets().deleteInstancesWithResponseAsync(rg, name,
                    new VirtualMachineScaleSetVMInstanceRequiredIDs().withInstanceIds(delete.instanceIds()), null));
        } else if (action instanceof ScalingAction.Create create) {
            // The capacity counts deallocated instances too, so it is read rather than derived from the list.
            Sku sku = ArmCalls.call(() -> scaleSets().getByResourceGroupWithResponse(rg, name, null, Context.NONE)
                    .getValue().sku());
            VirtualMachineScaleSetUpdate update = new VirtualMachineScaleSetUpdate().withSku(new Sku()
                    .withName(sku.name()).withTier(sku.tier()).withCapacity(sku.capacity() + create.count()));
            if (scaleSet.image() != null) {
                // Manual upgrades: the model's image reaches the instances created now, not the existing ones.
                PoolImage image = new PoolImage(scaleSet.image());
                update.withVirtualMachineProfile(new VirtualMachineScaleSetUpdateVMProfile().withStorageProfile(
                        new VirtualMachineScaleSetUpdateStorageProfile().withImageReference(new ImageReference()
                                .withPublisher(image.publisher()).withOffer(image.offer()).withSku(image.sku())
                                .withVersion(image.version()))));
            }
            ArmCalls.begin(scaleSets().updateWithResponseAsync(rg, name, update, null, null));
        } else if (action instanceof ScalingAction.Protect protect) {
            VirtualMachineScaleSetVMInner vm = current(rg, name, protect.instanceId());
            vm.withProtectionPolicy(new VirtualMachineScaleSetVMProtectionPolicy()
                    .withProtectFromScaleIn(protect.protect()));
            ArmCalls.begin(vms().updateWithResponseAsync(rg, name, protect.instanceId(), vm, null, null));
        } else if (action instanceof ScalingAction.Drain drain) {
            VirtualMachineScaleSetVMInner vm = current(rg, name, drain.instanceId());
            vm.withUserData(DrainSignal.userData(drain));
            ArmCalls.begin(vms().updateWithResponseAsync(rg, name, drain.instanceId(), vm, null, null));
        }
    }

    /** The instance's model with its user data, so that an update of one setting keeps the other. */
    private VirtualMachineScaleSetVMInner current(String rg, String name, String instanceId) {
        return ArmCalls.call(() -> vms().getWithResponse(rg, name, instanceId, InstanceViewTypes.USER_DATA,
                Context.NONE).getValue());
    }

    /** From the instance view: null for an instance being deleted, which the scaler leaves alone. */
    private static PowerState powerState(VirtualMachineScaleSetVMInner vm) {
        String provisioning = vm.provisioningState() == null ? "" : vm.provisioningState().toLowerCase(Locale.ROOT);
        if (provisioning.equals("deleting")) {
            return null;
        }
        String power = null;
        if (vm.instanceView() != null && vm.instanceView().statuses() != null) {
            for (InstanceViewStatus status : vm.instanceView().statuses()) {
                if (status.code() != null && status.code().startsWith("PowerState/")) {
                    power = status.code().substring("PowerState/".length());
                }
            }
        }
        if (power == null) {
            return provisioning.equals("creating") ? PowerState.Creating : null;
        }
        return switch (power) {
            case "starting" -> PowerState.Starting;
            case "running" -> PowerState.Running;
            case "stopping", "stopped" -> PowerState.Stopping;
            case "deallocating" -> PowerState.Deallocating;
            case "deallocated" -> PowerState.Deallocated;
            default -> PowerState.Creating;
        };
    }

    /** The time on the provisioning status: when the instance last finished an operation, such as a start. */
    private static Instant lastChange(VirtualMachineScaleSetVMInner vm) {
        if (vm.instanceView() == null || vm.instanceView().statuses() == null) {
            return null;
        }
        for (InstanceViewStatus status : vm.instanceView().statuses()) {
            if (status.code() != null && status.code().startsWith("ProvisioningState/") && status.time() != null) {
                return status.time().toInstant();
            }
        }
        return null;
    }
}
