package org.dsvmpools.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed ARM request path: {@code /subscriptions/{s}[/resourceGroups/{rg}][/providers/{ns}/{type}/{name}
 * [/{childType}/{childName}]...][/{action}]}, with extension resources ({@code .../providers/Microsoft.Authorization/
 * roleAssignments/{id}} under any scope) read the same way. Segment names match without regard to case, as ARM's
 * do (the SDK writes {@code resourcegroups}).
 *
 * @param resourceType {@code Microsoft.Network/virtualNetworks/subnets}, or {@code Microsoft.Resources/resourceGroups}
 * @param id           the resource id, or the collection path when {@link #isCollection()}
 * @param action       a trailing POST action such as {@code listKeys}, else {@code null}
 */
record ArmPath(String subscription, String resourceGroup, String resourceType, String id, String name,
               boolean isCollection, String action, String parentId) {

    static ArmPath parse(String path, boolean isPost) {
        List<String> segments = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/")));
        if (segments.size() < 2 || !segments.get(0).equalsIgnoreCase("subscriptions")) {
            return null;
        }
        String subscription = segments.get(1);
        String resourceGroup = null;
        int i = 2;
        if (segments.size() > 3 && segments.get(2).equalsIgnoreCase("resourceGroups")) {
            resourceGroup = segments.get(3);
            i = 4;
        }
        String scope = "/subscriptions/" + subscription + (resourceGroup == null ? "" : "/resourceGroups/" + resourceGroup);
        if (i == segments.size()) {
            return resourceGroup == null ? null
                    : new ArmPath(subscription, resourceGroup, "Microsoft.Resources/resourceGroups", scope,
                    resourceGroup, false, null, "/subscriptions/" + subscription);
        }
        if (resourceGroup != null && i == segments.size() - 1 && !segments.get(i).equalsIgnoreCase("providers")) {
            String last = segments.get(i);
            return new ArmPath(subscription, resourceGroup, "Microsoft.Resources/resourceGroups", scope, resourceGroup,
                    false, last, "/subscriptions/" + subscription);
        }
        StringBuilder type = new StringBuilder();
        String id = scope;
        String parent = scope;
        String name = null;
        String action = null;
        boolean collection = false;
        String scopeOfProvider = scope;
        boolean topLevel = false;
        while (i < segments.size()) {
            if (segments.get(i).equalsIgnoreCase("providers") && i + 1 < segments.size()) {
                String namespace = segments.get(i + 1);
                type.setLength(0);
                type.append(namespace);
                scopeOfProvider = id;
                id = id + "/providers/" + namespace;
                topLevel = true;
                i += 2;
                continue;
            }
            String typeSegment = segments.get(i);
            if (i + 1 >= segments.size()) {
                if (isPost && name != null) {
                    action = typeSegment;
                } else {
                    parent = topLevel ? scopeOfProvider : id;
                    type.append('/').append(typeSegment);
                    id = id + "/" + typeSegment;
                    collection = true;
                }
                i++;
                continue;
            }
            // A top-level resource's parent is the scope the provider hangs off; a child's is the resource above it.
            parent = topLevel ? scopeOfProvider : id;
            topLevel = false;
            type.append('/').append(typeSegment);
            name = segments.get(i + 1);
            id = id + "/" + typeSegment + "/" + name;
            i += 2;
        }
        return new ArmPath(subscription, resourceGroup, type.toString(), id, name, collection, action, parent);
    }

    /** The key of a resource in the store: ids are case-insensitive in ARM. */
    static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    boolean isResourceGroup() {
        return resourceType.equalsIgnoreCase("Microsoft.Resources/resourceGroups");
    }
}
