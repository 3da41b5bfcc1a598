package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The instances of one scale set. Capacity changes add instances with new ids or remove the highest ids that
 * are not protected from scale-in; start, deallocate and delete act on chosen instance ids.
 */
final class ScaleSet {
    private final Map<String, ScaleSetInstance> instances = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
    private int nextId;
    private double removedRunningSeconds;

    Collection<ScaleSetInstance> instances(Instant now, TimeModel time) {
        List<String> gone = new ArrayList<>();
        for (ScaleSetInstance instance : instances.values()) {
            instance.advance(now, time);
            if (instance.isGone()) {
                gone.add(instance.instanceId);
            }
        }
        gone.forEach(id -> removedRunningSeconds += instances.remove(id).runningSeconds(now, time));
        return instances.values();
    }

    ScaleSetInstance instance(String id, Instant now, TimeModel time) {
        instances(now, time);
        return instances.get(id);
    }

    int count(Instant now, TimeModel time) {
        return (int) instances(now, time).stream().filter(i -> !i.powerState.equals("deleting")).count();
    }

    /** Adds or removes instances to reach {@code capacity}; returns when the last change is done. */
    Instant scaleTo(int capacity, Instant now, TimeModel time) {
        Instant doneAt = now;
        int current = count(now, time);
        for (int i = current; i < capacity; i++) {
            Instant readyAt = time.after(TimeModel.CREATE_INSTANCE);
            instances.put("" + nextId, new ScaleSetInstance("" + nextId, readyAt));
            nextId++;
            doneAt = readyAt;
        }
        if (capacity < current) {
            List<ScaleSetInstance> removable = instances.values().stream()
                    .filter(i -> !i.protectFromScaleIn && !i.powerState.equals("deleting"))
                    .sorted(Comparator.comparingInt((ScaleSetInstance i) -> Integer.parseInt(i.instanceId)).reversed())
                    .limit(current - capacity).toList();
            for (ScaleSetInstance instance : removable) {
                doneAt = delete(instance, now, time);
            }
        }
        return doneAt;
    }

    Instant start(ScaleSetInstance instance, Instant now, TimeModel time) {
        return transition(instance, "starting", "running", TimeModel.START_INSTANCE, now, time);
    }

    Instant deallocate(ScaleSetInstance instance, Instant now, TimeModel time) {
        return transition(instance, "deallocating", "deallocated", TimeModel.DEALLOCATE_INSTANCE, now, time);
    }

    Instant delete(ScaleSetInstance instance, Instant now, TimeModel time) {
        return transition(instance, "deleting", "deleted", TimeModel.DELETE_INSTANCE, now, time);
    }

    /** Moves an instance through {@code during} to {@code after}; asking again on the way changes nothing. */
    private static Instant transition(ScaleSetInstance instance, String during, String after,
                                      java.time.Duration azureDuration, Instant now, TimeModel time) {
        if (instance.powerState.equals(during) || instance.powerState.equals(after)) {
            return now;
        }
        Instant doneAt = time.after(azureDuration);
        instance.begin(during, after, doneAt, now, time);
        return doneAt;
    }

    double runningSeconds(Instant now, TimeModel time) {
        return removedRunningSeconds + instances(now, time).stream().mapToDouble(i -> i.runningSeconds(now, time)).sum();
    }

    /** An instance as the virtualMachines API returns it. */
    static ObjectNode view(Resource scaleSet, ScaleSetInstance instance, boolean withInstanceView, Instant now,
                           TimeModel time) {
        ObjectNode vm = JsonNodeFactory.instance.objectNode();
        vm.put("id", scaleSet.id + "/virtualMachines/" + instance.instanceId);
        vm.put("name", scaleSet.name + "_" + instance.instanceId);
        vm.put("type", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines");
        vm.put("location", scaleSet.document.path("location").asText());
        vm.put("instanceId", instance.instanceId);
        if (scaleSet.document.has("sku")) {
            vm.set("sku", scaleSet.document.get("sku").deepCopy());
        }
        ObjectNode properties = vm.putObject("properties");
        properties.put("latestModelApplied", true);
        properties.put("vmId", instance.vmId);
        properties.put("provisioningState", instance.provisioningState());
        properties.putObject("protectionPolicy").put("protectFromScaleIn", instance.protectFromScaleIn)
                .put("protectFromScaleSetActions", false);
        String prefix = scaleSet.document.path("properties").path("virtualMachineProfile").path("osProfile")
                .path("computerNamePrefix").asText(scaleSet.name);
        properties.putObject("osProfile").put("computerName",
                prefix + String.format("%06x", Integer.parseInt(instance.instanceId)));
        properties.putObject("emulator").put("runningSeconds", instance.runningSeconds(now, time));
        if (withInstanceView) {
            properties.set("instanceView", instanceView(instance));
        }
        return vm;
    }

    /** The instance with its user data, as {@code GET ...?$expand=userData} returns it. */
    static ObjectNode viewWithUserData(Resource scaleSet, ScaleSetInstance instance, Instant now, TimeModel time) {
        ObjectNode vm = view(scaleSet, instance, false, now, time);
        if (instance.userData != null) {
            vm.withObjectProperty("properties").put("userData", instance.userData);
        }
        return vm;
    }

    static ObjectNode instanceView(ScaleSetInstance instance) {
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        view.put("computerName", "");
        ArrayNode statuses = view.putArray("statuses");
        ObjectNode provisioning = statuses.addObject()
                .put("code", "ProvisioningState/" + instance.provisioningState().toLowerCase())
                .put("level", "Info").put("displayStatus", "Provisioning " + instance.provisioningState().toLowerCase());
        if (instance.changedAt != null) {
            provisioning.put("time", instance.changedAt.toString());
        }
        if (!instance.powerState.equals("creating")) {
            statuses.addObject().put("code", "PowerState/" + instance.powerState).put("level", "Info")
                    .put("displayStatus", "VM " + instance.powerState);
        }
        return view;
    }
}
