package org.dsvmpools.provisioning;

import java.util.List;
import java.util.Map;
import org.dsvmpools.pool.PoolResource;

/**
 * The port to Azure, shaped like crossplane's external client: observe, and begin a create or a delete; never
 * wait for one. Every call is idempotent. Errors arrive as {@link CloudException}, already translated from the
 * SDK by the adapter.
 */
public interface CloudResources {

    /** Creates or updates the resource group; ARM does this synchronously. */
    void ensureGroup(PoolBlueprint.ResourceGroup group);

    Observation observe(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource);

    /**
     * Begins creating (or updating) {@code resource} and returns what ARM answered: usually in progress.
     *
     * @param known the pool's resources as recorded, with the ids and outputs of what {@code resource} depends on
     */
    Observation beginCreate(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                            Map<String, PoolResource> known);

    /** Begins deleting {@code resource}; {@link Observation.State#MISSING} when it was already gone. */
    Observation beginDelete(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                            Map<String, PoolResource> known);

    /** Begins deleting the resource group and everything in it; MISSING when it was already gone. */
    Observation beginDeleteGroup(PoolBlueprint.ResourceGroup group);

    /** The resource group's tags, or empty when there is no such group. */
    java.util.Optional<Map<String, String>> groupTags(PoolBlueprint.ResourceGroup group);

    /** True while the resource group exists (also while it is being deleted). */
    boolean groupExists(PoolBlueprint.ResourceGroup group);

    /**
     * Each instance's SSH port on the load balancer's frontend (instance id to port), as the load balancer
     * mapped them from its inbound NAT rule's port range; an instance not mapped yet is left out.
     */
    Map<String, Integer> sshPorts(PoolBlueprint.ResourceGroup group, PoolBlueprint.LoadBalancer loadBalancer,
                                  PoolBlueprint.ScaleSet scaleSet);
}
