package org.dsvmpools.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dsvmpools.cloud.ArmErrorClass;
import org.dsvmpools.cloud.CloudException;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.pool.ResourceState;

/**
 * Makes Azure match a blueprint, one pass at a time and never waiting on a long-running operation. A pass starts
 * from the pool's record: it skips what already succeeded, asks ARM about what it began earlier, and begins what
 * is pending, a wave at a time (a wave's resources together, since none depends on another). It stops at the
 * first wave still in progress; the worker records the result and looks again later.
 *
 * <p>Every request is idempotent (PUTs of the desired state, DELETEs), so a pass can be repeated or cut off at
 * any point and still end with exactly one of each resource: a resource begun but not recorded is simply PUT
 * again.
 *
 * <p>Only what the pool made is the pool's (#27): before its first PUT of a resource the reconciler reads it, and
 * one that exists without the pool's tags fails the pool, naming it, with nothing changed; a teardown deletes only
 * resources (and a group) that carry them. A derived name that happens to be taken, or a spec aimed at someone
 * else's group, so never overwrites or deletes what is not the pool's.
 */
public final class PoolReconciler {
    public static final String GROUP = ResourceKey.RESOURCE_GROUP.value();
    /** Storage account and share hold the users' notebooks: a teardown keeps them unless a purge is confirmed. */
    static final Set<ResourceKey> DATA = Set.of(ResourceKey.STORAGE, ResourceKey.SHARE);

    private final CloudResources cloud;
    private final Duration recheckAfter;
    private final Duration retryAfter;

    /**
     * @param recheckAfter when to look again at operations ARM gave no {@code Retry-After} for
     * @param retryAfter   the first delay after a retryable error
     */
    public PoolReconciler(CloudResources cloud, Duration recheckAfter, Duration retryAfter) {
        this.cloud = cloud;
        this.recheckAfter = recheckAfter;
        this.retryAfter = retryAfter;
    }

    public ReconcileResult provision(PoolBlueprint blueprint, Map<String, PoolResource> known) {
        Pass pass = new Pass(blueprint, known);
        try {
            if (!pass.get(GROUP).is(ResourceState.Succeeded)) {
                pass.current = GROUP;
                PoolBlueprint.ResourceGroup group = blueprint.resourceGroup();
                if (group.managed()) {
                    if (groupIsSomeoneElses(blueprint)) {
                        return notOurs(pass, GROUP, "resource group '" + group.name() + "'");
                    }
                    cloud.ensureGroup(group);
                } else if (!cloud.groupExists(group)) {
                    return new ReconcileResult.Failed(pass.list(), GROUP, "ResourceGroupNotFound", "resource group '"
                            + group.name() + "' named in the spec does not exist: create it, or leave resourceGroup out"
                            + " for a group of the pool's own");
                }
                pass.put(pass.get(GROUP).withState(ResourceState.Succeeded));
            }
            for (List<ResourceKey> wave : blueprint.waves()) {
                List<String> waiting = new ArrayList<>();
                Duration wait = Duration.ZERO;
                for (ResourceKey key : wave) {
                    pass.current = key.value();
                    PoolResource before = pass.get(key.value());
                    if (before.is(ResourceState.Succeeded)) {
                        continue;
                    }
                    PoolBlueprint.Resource resource = blueprint.resource(key);
                    if (before.is(ResourceState.Pending) && foreign(blueprint, resource)) {
                        return notOurs(pass, key.value(), describe(resource) + " in resource group '"
                                + blueprint.resourceGroup().name() + "'");
                    }
                    Observation seen = create(blueprint, resource, before, pass.all());
                    PoolResource after = pass.record(key.value(), seen, ResourceState.Creating);
                    if (after.is(ResourceState.Failed)) {
                        return new ReconcileResult.Failed(pass.list(), key.value(), "ProvisioningFailed",
                                after.name() + " is in provisioning state Failed");
                    }
                    if (!after.is(ResourceState.Succeeded)) {
                        waiting.add(key.value());
                        wait = longer(wait, seen.lookAgain());
                    }
                }
                if (!waiting.isEmpty()) {
                    return new ReconcileResult.InProgress(pass.list(), String.join(", ", waiting), wait);
                }
            }
            return new ReconcileResult.Done(pass.list());
        } catch (CloudException e) {
            return failure(pass, e);
        }
    }

    /** Whether the resource exists and was not made by this pool: then the pool must not PUT or delete it. */
    private boolean foreign(PoolBlueprint blueprint, PoolBlueprint.Resource resource) {
        if (!resource.tagged()) {
            return false;
        }
        return someoneElses(blueprint, cloud.observe(blueprint.resourceGroup(), resource));
    }

    /** A resource as read that exists and does not carry the pool's tags. */
    private static boolean someoneElses(PoolBlueprint blueprint, Observation seen) {
        return !seen.is(Observation.State.MISSING) && seen.tags() != null && !blueprint.owns(seen.tags());
    }

    private boolean groupIsSomeoneElses(PoolBlueprint blueprint) {
        return cloud.groupTags(blueprint.resourceGroup()).filter(tags -> !blueprint.owns(tags)).isPresent();
    }

    private static ReconcileResult notOurs(Pass pass, String key, String what) {
        return new ReconcileResult.Failed(pass.list(), key, "ResourceNotOwned", what + " already exists and was not"
                + " made by this pool (it lacks the tags " + Blueprint.POOL_TAG + " and " + Blueprint.INSTALLATION_TAG
                + "): nothing was changed. Request the pool under another name, or remove that resource");
    }

    private static String describe(PoolBlueprint.Resource resource) {
        String kind = resource instanceof PoolBlueprint.SecurityGroup ? "network security group"
                : resource instanceof PoolBlueprint.PublicIp ? "public IP address"
                : resource instanceof PoolBlueprint.VirtualNetwork ? "virtual network"
                : resource instanceof PoolBlueprint.LoadBalancer ? "load balancer"
                : resource instanceof PoolBlueprint.StorageAccount ? "storage account"
                : resource instanceof PoolBlueprint.ScaleSet ? "virtual machine scale set"
                : resource.key().value();
        return kind + " '" + resource.name() + "'";
    }

    /** Asks about a resource begun earlier, begins one that is pending or that vanished meanwhile. */
    private Observation create(PoolBlueprint blueprint, PoolBlueprint.Resource resource, PoolResource before,
                               Map<String, PoolResource> all) {
        if (before.is(ResourceState.Creating)) {
            Observation seen = cloud.observe(blueprint.resourceGroup(), resource);
            if (!seen.is(Observation.State.MISSING)) {
                return seen;
            }
        }
        return cloud.beginCreate(blueprint.resourceGroup(), resource, all);
    }

    /**
     * Deletes the pool's resources, dependants first. Without {@code purgeData} the storage account and share
     * stay (and so does the resource group that holds them). With it, the pool's own resource group goes as a
     * whole; in an existing group named by the spec, the pool's resources go one by one and the group stays.
     */
    public ReconcileResult teardown(PoolBlueprint blueprint, boolean purgeData, Map<String, PoolResource> known) {
        Pass pass = new Pass(blueprint, known);
        try {
            return purgeData && blueprint.resourceGroup().managed()
                    ? purge(blueprint, pass)
                    : deleteInReverse(blueprint, pass, purgeData);
        } catch (CloudException e) {
            return failure(pass, e);
        }
    }

    private ReconcileResult purge(PoolBlueprint blueprint, Pass pass) {
        pass.current = GROUP;
        PoolResource group = pass.get(GROUP);
        if (!group.is(ResourceState.Deleting) && groupIsSomeoneElses(blueprint)) {
            // Never the pool's, or taken over since: deleting the group would delete what is not the pool's.
            return deleteInReverse(blueprint, pass, true);
        }
        boolean gone = group.is(ResourceState.Deleting)
                ? !cloud.groupExists(blueprint.resourceGroup())
                : cloud.beginDeleteGroup(blueprint.resourceGroup()).is(Observation.State.MISSING);
        if (!gone) {
            pass.put(group.withState(ResourceState.Deleting));
            return new ReconcileResult.InProgress(pass.list(), "deletion of resource group "
                    + blueprint.resourceGroup().name(), recheckAfter);
        }
        pass.all().keySet().forEach(key -> pass.put(pass.get(key).withState(ResourceState.Deleted)));
        return new ReconcileResult.Done(pass.list());
    }

    private ReconcileResult deleteInReverse(PoolBlueprint blueprint, Pass pass, boolean deleteData) {
        List<List<ResourceKey>> waves = new ArrayList<>(blueprint.waves());
        Collections.reverse(waves);
        for (List<ResourceKey> wave : waves) {
            List<String> waiting = new ArrayList<>();
            Duration wait = Duration.ZERO;
            for (ResourceKey key : wave) {
                PoolResource before = pass.get(key.value());
                if ((DATA.contains(key) && !deleteData) || before.is(ResourceState.Deleted)) {
                    continue;
                }
                pass.current = key.value();
                PoolBlueprint.Resource resource = blueprint.resource(key);
                Observation seen = before.is(ResourceState.Deleting) || resource.tagged()
                        ? cloud.observe(blueprint.resourceGroup(), resource)
                        : Observation.missing();
                if (!before.is(ResourceState.Deleting) && someoneElses(blueprint, seen)) {
                    // Not the pool's (a create refused as foreign left it Pending): leave it as it is.
                    pass.put(before.withState(ResourceState.Pending));
                    continue;
                }
                if (!before.is(ResourceState.Deleting) && seen.is(Observation.State.MISSING) && resource.tagged()) {
                    pass.put(before.withState(ResourceState.Deleted));
                    continue;
                }
                if (!before.is(ResourceState.Deleting) || seen.is(Observation.State.FAILED)) {
                    // Not asked yet, or a delete that ARM reports as failed: ask (again).
                    seen = cloud.beginDelete(blueprint.resourceGroup(), resource, pass.all());
                }
                PoolResource after = pass.record(key.value(), seen, ResourceState.Deleting);
                if (after.is(ResourceState.Pending)) {
                    pass.put(after.withState(ResourceState.Deleted));
                } else {
                    pass.put(after.withState(ResourceState.Deleting));
                    waiting.add(key.value());
                    wait = longer(wait, seen.lookAgain());
                }
            }
            if (!waiting.isEmpty()) {
                return new ReconcileResult.InProgress(pass.list(), "deletion of " + String.join(", ", waiting), wait);
            }
        }
        // What holds the data is kept; what was never created stays Pending, since there is nothing to keep.
        List<String> keep = new ArrayList<>(deleteData ? List.of() : DATA.stream().map(ResourceKey::value).toList());
        keep.add(GROUP);
        for (String key : keep) {
            PoolResource kept = pass.get(key);
            if (!kept.is(ResourceState.Pending)) {
                pass.put(kept.withState(ResourceState.Kept));
            }
        }
        return new ReconcileResult.Done(pass.list());
    }

    private ReconcileResult failure(Pass pass, CloudException e) {
        return e.classification() == ArmErrorClass.RETRYABLE
                ? new ReconcileResult.Retry(pass.list(), pass.current, e.reportedCode(), e.getMessage(), retryAfter)
                : new ReconcileResult.Failed(pass.list(), pass.current, e.reportedCode(), e.getMessage());
    }

    /** ARM's hint when it gave one, else the configured delay; the longest of a wave, since all must finish. */
    private Duration longer(Duration so, Duration hint) {
        Duration candidate = hint == null ? recheckAfter : hint;
        return candidate.compareTo(so) > 0 ? candidate : so;
    }

    /** The pool's resources during one pass: the record's, updated with what ARM answered. */
    private static final class Pass {
        private final Map<String, PoolResource> resources = new LinkedHashMap<>();
        String current = GROUP;

        Pass(PoolBlueprint blueprint, Map<String, PoolResource> known) {
            put(known.getOrDefault(GROUP, pending(GROUP, blueprint.resourceGroup().name())));
            for (PoolBlueprint.Resource resource : blueprint.resources()) {
                put(known.getOrDefault(resource.key().value(), pending(resource.key().value(), resource.name())));
            }
        }

        private static PoolResource pending(String key, String name) {
            return new PoolResource(key, name, null, ResourceState.Pending, Map.of());
        }

        PoolResource get(String key) {
            return resources.get(key);
        }

        void put(PoolResource resource) {
            resources.put(resource.key(), resource);
        }

        Map<String, PoolResource> all() {
            return Map.copyOf(resources);
        }

        List<PoolResource> list() {
            return List.copyOf(resources.values());
        }

        /** Records an observation; {@code busy} is the state of a resource whose operation is under way. */
        PoolResource record(String key, Observation seen, ResourceState busy) {
            PoolResource before = get(key);
            Map<String, String> outputs = new LinkedHashMap<>(before.outputs());
            outputs.putAll(seen.outputs());
            ResourceState state = switch (seen.state()) {
                case MISSING -> ResourceState.Pending;
                case IN_PROGRESS -> busy;
                case SUCCEEDED -> busy == ResourceState.Deleting ? ResourceState.Deleting : ResourceState.Succeeded;
                case FAILED -> ResourceState.Failed;
            };
            PoolResource after = new PoolResource(key, before.name(), seen.id() != null ? seen.id() : before.id(),
                    state, outputs);
            put(after);
            return after;
        }
    }
}
