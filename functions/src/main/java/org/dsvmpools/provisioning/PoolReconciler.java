package org.dsvmpools.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes Azure match a blueprint, one pass at a time and never waiting on a long-running operation: a pass
 * observes each resource wave by wave, begins what is missing (a wave's resources together, since none depends
 * on another), and stops at the first wave still in progress. The worker records the result and looks again
 * later. Because every step starts from an observation, a pass can run any number of times, or be cut off at
 * any point, and still end with exactly one of each resource.
 */
public final class PoolReconciler {
    /** Storage account and share hold the users' notebooks: a teardown keeps them unless a purge is confirmed. */
    static final Set<String> DATA = Set.of("storage", "share");

    private final CloudResources cloud;
    private final Duration recheckAfter;
    private final Duration retryAfter;

    public PoolReconciler(CloudResources cloud, Duration recheckAfter, Duration retryAfter) {
        this.cloud = cloud;
        this.recheckAfter = recheckAfter;
        this.retryAfter = retryAfter;
    }

    public ReconcileResult provision(PoolBlueprint blueprint) {
        Map<String, Observation> seen = new LinkedHashMap<>();
        String current = "resourceGroup";
        try {
            cloud.ensureGroup(blueprint.resourceGroup());
            for (List<String> wave : blueprint.waves()) {
                List<String> waiting = new ArrayList<>();
                for (String key : wave) {
                    current = key;
                    PoolBlueprint.Resource resource = blueprint.resource(key);
                    Observation observed = cloud.observe(blueprint.resourceGroup(), resource);
                    switch (observed.state()) {
                        case FAILED -> {
                            return new ReconcileResult.Failed(key, "ProvisioningFailed",
                                    resource.name() + " is in provisioning state Failed");
                        }
                        case MISSING -> {
                            cloud.beginCreate(blueprint.resourceGroup(), resource, seen);
                            waiting.add(key);
                        }
                        case IN_PROGRESS -> waiting.add(key);
                        case SUCCEEDED -> { }
                    }
                    seen.put(key, observed);
                }
                if (!waiting.isEmpty()) {
                    return new ReconcileResult.InProgress(seen, String.join(", ", waiting), recheckAfter);
                }
            }
            return new ReconcileResult.Done(seen, List.of());
        } catch (CloudResources.CloudException e) {
            return failure(current, e);
        }
    }

    /**
     * Deletes the pool's resources, dependants first. Without {@code purgeData} the storage account and share
     * stay (and so does the resource group that holds them); with it the whole resource group goes.
     */
    public ReconcileResult teardown(PoolBlueprint blueprint, boolean purgeData) {
        String current = "resourceGroup";
        try {
            if (purgeData) {
                if (cloud.groupGone(blueprint.resourceGroup())) {
                    return new ReconcileResult.Done(Map.of(), List.of());
                }
                cloud.beginDeleteGroup(blueprint.resourceGroup());
                return new ReconcileResult.InProgress(Map.of(), "resource group deletion", recheckAfter);
            }
            List<List<String>> waves = new ArrayList<>(blueprint.waves());
            java.util.Collections.reverse(waves);
            for (List<String> wave : waves) {
                List<String> waiting = new ArrayList<>();
                for (String key : wave) {
                    if (DATA.contains(key)) {
                        continue;
                    }
                    current = key;
                    PoolBlueprint.Resource resource = blueprint.resource(key);
                    Observation observed = cloud.observe(blueprint.resourceGroup(), resource);
                    if (observed.is(Observation.State.MISSING)) {
                        continue;
                    }
                    if (!observed.is(Observation.State.IN_PROGRESS)) {
                        cloud.beginDelete(blueprint.resourceGroup(), resource);
                    }
                    waiting.add(key);
                }
                if (!waiting.isEmpty()) {
                    return new ReconcileResult.InProgress(Map.of(), "deletion of " + String.join(", ", waiting),
                            recheckAfter);
                }
            }
            return new ReconcileResult.Done(Map.of(), List.copyOf(DATA));
        } catch (CloudResources.CloudException e) {
            return failure(current, e);
        }
    }

    private ReconcileResult failure(String key, CloudResources.CloudException e) {
        return e.classification() == ArmErrorClass.RETRYABLE
                ? new ReconcileResult.Retry(key, e.code(), e.getMessage(), retryAfter)
                : new ReconcileResult.Failed(key, e.code(), e.getMessage());
    }
}
