package org.dsvmpools.azure;

import org.dsvmpools.provisioning.PoolBlueprint;

/** ARM ids of a pool's resources, known before they exist: ARM derives them from names alone. */
record ArmIds(String subscriptionId) {
    String group(PoolBlueprint.ResourceGroup group) {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + group.name();
    }

    String of(PoolBlueprint.ResourceGroup group, String type, String name) {
        return group(group) + "/providers/" + type + "/" + name;
    }
}
