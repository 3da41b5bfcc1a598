package org.dsvmpools.provisioning;

import java.util.List;
import java.util.Map;

/**
 * Everything a pool is in Azure, as plain values: what the reconciler makes Azure match. Resources are listed
 * in an order that respects their dependencies; {@link #dependsOn()} says which may go in parallel.
 */
public record PoolBlueprint(ResourceGroup resourceGroup, List<Resource> resources,
                            Map<ResourceKey, List<ResourceKey>> dependsOn) {

    public PoolBlueprint {
        resources = List.copyOf(resources);
        dependsOn = Map.copyOf(dependsOn);
    }

    /**
     * @param managed true for the pool's own group, which the worker creates and a purge deletes; false for an
     *                existing group named in the spec, which the worker only checks and never changes
     */
    public record ResourceGroup(String name, String location, Map<String, String> tags, boolean managed) {
    }

    /**
     * Whether a resource with these tags was made by this pool of this installation: it carries every tag the pool
     * puts on what it makes (tag names are case-insensitive in ARM, values are not).
     */
    public boolean owns(Map<String, String> tags) {
        Map<String, String> byName = new java.util.HashMap<>();
        tags.forEach((name, value) -> byName.put(name.toLowerCase(java.util.Locale.ROOT), value));
        return resourceGroup.tags().entrySet().stream().allMatch(tag ->
                tag.getValue().equals(byName.get(tag.getKey().toLowerCase(java.util.Locale.ROOT))));
    }

    public Resource resource(ResourceKey key) {
        return resources.stream().filter(r -> r.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no resource " + key));
    }

    /**
     * The resources in waves: every resource of a wave depends only on earlier waves, so a wave's resources go
     * in parallel. The number of waves is the longest dependency chain.
     */
    public List<List<ResourceKey>> waves() {
        List<List<ResourceKey>> waves = new java.util.ArrayList<>();
        java.util.Set<ResourceKey> done = new java.util.HashSet<>();
        while (done.size() < resources.size()) {
            List<ResourceKey> wave = resources.stream().map(Resource::key)
                    .filter(key -> !done.contains(key) && done.containsAll(dependsOn.getOrDefault(key, List.of())))
                    .toList();
            if (wave.isEmpty()) {
                throw new IllegalStateException("the blueprint's dependencies form a cycle");
            }
            waves.add(wave);
            done.addAll(wave);
        }
        return waves;
    }

    /** One resource; {@code key} names it within the blueprint (dependencies refer to keys). */
    public sealed interface Resource {
        ResourceKey key();

        String name();

        /**
         * Whether ARM keeps tags on it. A share has none (it is the account's, which has them) and a role
         * assignment neither (its name is derived from the pool and its principal is the pool's).
         */
        default boolean tagged() {
            return true;
        }
    }

    /**
     * StorageV2, HTTPS only, TLS 1.2, no public blob access, firewall: deny but for the listed subnets.
     *
     * @param largeFileShares whether shares above 5 TiB are allowed (Azure's {@code largeFileSharesState})
     */
    public record StorageAccount(ResourceKey key, String name, String sku, boolean allowPoolSubnet,
                                 String controlPlaneSubnetId, boolean largeFileShares) implements Resource {
    }

    public record FileShare(ResourceKey key, String name, String account, int quotaGiB, int softDeleteDays)
            implements Resource {
        @Override
        public boolean tagged() {
            return false;
        }
    }

    public record VirtualNetwork(ResourceKey key, String name, String addressSpace, String subnet, String subnetPrefix,
                                 String securityGroup, List<String> serviceEndpoints) implements Resource {
    }

    public record SecurityRule(String name, int priority, boolean allow, String protocol, List<String> sources,
                               String destinationPort) {
    }

    public record SecurityGroup(ResourceKey key, String name, List<SecurityRule> inboundRules) implements Resource {
    }

    public record PublicIp(ResourceKey key, String name, String dnsLabel) implements Resource {
    }

    /**
     * Standard SKU: a health probe, JupyterHub on {@code jupyterPort} with client-IP affinity (a user's browser
     * keeps reaching the instance that runs their server), and SSH to each instance through an inbound NAT rule
     * on a backend pool of its own, which maps frontend ports {@code sshFrontendFirst}..{@code sshFrontendLast}
     * onto the pool's members, with a TCP reset after {@code idleTimeoutMinutes}.
     */
    /**
     * @param sshPort          the pool's one address for users' SSH: balanced to a serving instance, the same
     *                         one again for the same client, never to a drained one
     * @param adminSshPort     the second port sshd listens on, behind the per-instance NAT rule: a balancing
     *                         rule and NAT rules do not share one backend port
     */
    public record LoadBalancer(ResourceKey key, String name, String publicIp, int jupyterPort, Probe probe,
                               int sshFrontendFirst, int sshFrontendLast, int idleTimeoutMinutes, int sshPort,
                               int adminSshPort) implements Resource {
    }

    /**
     * What decides whether an instance gets new sessions: JupyterHub's own health endpoint, or, with the usage
     * agent, the agent's, which answers only while JupyterHub is healthy and the scaler has not drained the
     * instance.
     */
    public record Probe(boolean https, int port, String path) {
    }

    /**
     * The pool's scale set; it carries a system-assigned identity (the agents' roles) and, when JupyterHub signs in
     * through Entra ID, the installation's user-assigned identity ({@code hubIdentityId}, else null) that the app
     * registration's federated credential trusts.
     */
    public record ScaleSet(ResourceKey key, String name, String vmSize, int capacity, String imagePublisher,
                           String imageOffer, String imageSku, String imageVersion, String adminUsername,
                           List<String> sshPublicKeys, String computerNamePrefix, String customData,
                           String hubIdentityId) implements Resource {
    }

    /**
     * A role for an identity: the one of a pool resource ({@code principalKey}, the scale set) or one outside the
     * pool ({@code principalId}, when not null: the control plane's). Scoped to one of the pool's resources
     * ({@code scopeKey}) or to a resource outside the pool ({@code scopeId}, when not null).
     */
    public record RoleAssignment(ResourceKey key, String name, ResourceKey scopeKey, String scopeId, ResourceKey principalKey,
                                 String roleDefinitionId, String principalId) implements Resource {
        public RoleAssignment(ResourceKey key, String name, ResourceKey scopeKey, String scopeId, ResourceKey principalKey,
                              String roleDefinitionId) {
            this(key, name, scopeKey, scopeId, principalKey, roleDefinitionId, null);
        }

        @Override
        public boolean tagged() {
            return false;
        }
    }
}
