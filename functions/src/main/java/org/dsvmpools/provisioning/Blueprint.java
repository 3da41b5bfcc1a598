package org.dsvmpools.provisioning;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.PoolImage;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolSpecRules;

/**
 * The pure function from a pool's spec to the Azure resources that make it. Microsoft's shared-DSVM template,
 * done right: no passwords, SSH and JupyterHub open only to {@code allowedSourceCidrs}, Standard SKUs, the
 * storage key never in the model, a mount that survives reboots.
 *
 * <p>The scale set uses Uniform orchestration: the scaler (issue #6) starts, deallocates and protects single
 * instances by instance id. Per-instance SSH for the admin is an inbound NAT rule on a backend pool of its own
 * (ARM's "V2" NAT rule, which maps a port range onto the pool's members), not a NAT pool: NAT pools are
 * inbound NAT rules V1, which Azure retires on 30 September 2027.
 */
public final class Blueprint {
    public static final String POOL_TAG = "dsvmpools-pool";
    /**
     * With {@link #POOL_TAG}, what marks a resource as made by this installation's pool of that name (#27): the
     * worker changes and deletes only resources carrying both, so a spec can never take over what it did not make.
     */
    public static final String INSTALLATION_TAG = "dsvmpools-installation";
    public static final int JUPYTERHUB_PORT = 8000;
    /** The usage agent's health endpoint, which the load balancer probes. */
    public static final int AGENT_HEALTH_PORT = 8090;
    public static final int SSH_NAT_FIRST = 50_000;
    /** One frontend port for every instance a pool may have. */
    public static final int SSH_NAT_LAST = SSH_NAT_FIRST + PoolSpecRules.MAX_CAPACITY - 1;
    /**
     * Minutes an idle SSH connection is kept, with a TCP reset when it is dropped (ARM's default is 4 minutes
     * and a silent drop): as long as JupyterHub's rule keeps a browser's.
     */
    public static final int IDLE_TIMEOUT_MINUTES = 30;
    /** Users' SSH at the pool's address. */
    public static final int SSH_PORT = 22;
    /** sshd's second port, which the per-instance admin NAT rule maps to. */
    public static final int ADMIN_SSH_PORT = 2222;
    private static final int SHARE_SOFT_DELETE_DAYS = 7;

    private Blueprint() {
    }

    public static PoolBlueprint of(PoolSpec spec, BlueprintSettings settings) {
        AzureNames names = AzureNames.of(spec.poolName());
        PoolImage image = new PoolImage(spec.image() != null ? spec.image() : settings.image());
        // Draining needs the agent: without a usage queue there is none, and JupyterHub's health decides alone.
        PoolBlueprint.Probe probe = settings.usage() != null
                ? new PoolBlueprint.Probe(false, AGENT_HEALTH_PORT, CloudInit.HEALTH_PATH)
                : new PoolBlueprint.Probe(true, JUPYTERHUB_PORT, "/hub/health");
        List<PoolBlueprint.Resource> resources = List.of(
                new PoolBlueprint.SecurityGroup(ResourceKey.SECURITY_GROUP, names.networkSecurityGroup(),
                        inboundRules(spec, probe)),
                new PoolBlueprint.PublicIp(ResourceKey.PUBLIC_IP, names.publicIp(), names.dnsLabel()),
                new PoolBlueprint.VirtualNetwork(ResourceKey.NETWORK, names.virtualNetwork(), "10.0.0.0/16", names.subnet(),
                        "10.0.0.0/24", names.networkSecurityGroup(), List.of("Microsoft.Storage")),
                new PoolBlueprint.LoadBalancer(ResourceKey.LOAD_BALANCER, names.loadBalancer(), names.publicIp(), JUPYTERHUB_PORT,
                        probe, SSH_NAT_FIRST, SSH_NAT_LAST, IDLE_TIMEOUT_MINUTES, SSH_PORT, ADMIN_SSH_PORT),
                // Large file shares always: a standard share serves 1,000 IOPS without them and 20,000 with them,
                // at no extra cost on LRS, and an onboarding burst alone goes past 1,000 (docs/onboarding.md).
                new PoolBlueprint.StorageAccount(ResourceKey.STORAGE, names.storageAccount(), "Standard_LRS", true,
                        settings.controlPlaneSubnetId(), true),
                new PoolBlueprint.FileShare(ResourceKey.SHARE, names.fileShare(), names.storageAccount(),
                        spec.share().quotaGiB(), SHARE_SOFT_DELETE_DAYS),
                new PoolBlueprint.ScaleSet(ResourceKey.SCALE_SET, names.scaleSet(), spec.vmSize(), spec.capacity().initial(),
                        image.publisher(), image.offer(), image.sku(), image.version(), spec.access().adminUsername(),
                        spec.access().sshPublicKeys(), names.computerNamePrefix(),
                        CloudInit.customData(spec, names, settings),
                        settings.hubSignIn() == null ? null : settings.hubSignIn().identityId()),
                new PoolBlueprint.RoleAssignment(ResourceKey.STORAGE_KEY_ROLE, stableGuid(spec.name() + "/storage-key-operator"),
                        ResourceKey.STORAGE, null, ResourceKey.SCALE_SET, roleDefinition(settings, PoolRole.STORAGE_ACCOUNT_KEY_OPERATOR)));
        if (settings.controlPlanePrincipalId() != null) {
            // Onboarding writes users' folders with the Function App's identity, over OAuth: no account key.
            resources = new ArrayList<>(resources);
            resources.add(new PoolBlueprint.RoleAssignment(ResourceKey.FILES_ROLE, stableGuid(spec.name() + "/files-privileged"),
                    ResourceKey.STORAGE, null, null, roleDefinition(settings, PoolRole.STORAGE_FILE_DATA_PRIVILEGED_CONTRIBUTOR),
                    settings.controlPlanePrincipalId()));
        }
        if (settings.usage() instanceof BlueprintSettings.UsageQueue queue) {
            resources = new ArrayList<>(resources);
            resources.add(new PoolBlueprint.RoleAssignment(ResourceKey.USAGE_QUEUE_ROLE, stableGuid(spec.name() + "/usage-queue"),
                    null, queue.resourceId(), ResourceKey.SCALE_SET,
                    roleDefinition(settings, PoolRole.STORAGE_QUEUE_DATA_MESSAGE_SENDER)));
        }
        Map<ResourceKey, List<ResourceKey>> dependsOn = new LinkedHashMap<>();
        dependsOn.put(ResourceKey.SECURITY_GROUP, List.of());
        dependsOn.put(ResourceKey.PUBLIC_IP, List.of());
        dependsOn.put(ResourceKey.NETWORK, List.of(ResourceKey.SECURITY_GROUP));
        dependsOn.put(ResourceKey.LOAD_BALANCER, List.of(ResourceKey.PUBLIC_IP));
        dependsOn.put(ResourceKey.STORAGE, List.of(ResourceKey.NETWORK));
        dependsOn.put(ResourceKey.SHARE, List.of(ResourceKey.STORAGE));
        dependsOn.put(ResourceKey.SCALE_SET, List.of(ResourceKey.NETWORK, ResourceKey.LOAD_BALANCER, ResourceKey.SHARE));
        dependsOn.put(ResourceKey.STORAGE_KEY_ROLE, List.of(ResourceKey.SCALE_SET, ResourceKey.STORAGE));
        dependsOn.put(ResourceKey.USAGE_QUEUE_ROLE, List.of(ResourceKey.SCALE_SET));
        dependsOn.put(ResourceKey.FILES_ROLE, List.of(ResourceKey.STORAGE));
        return new PoolBlueprint(new PoolBlueprint.ResourceGroup(AzureNames.resourceGroupOf(spec), spec.location(),
                Map.of(POOL_TAG, spec.name(), INSTALLATION_TAG, settings.installation()), spec.resourceGroup() == null),
                resources, dependsOn);
    }

    /** SSH and JupyterHub from the allowed networks, the load balancer's probe, and nothing else inbound. */
    private static List<PoolBlueprint.SecurityRule> inboundRules(PoolSpec spec, PoolBlueprint.Probe probe) {
        List<String> sources = spec.access().allowedSourceCidrs();
        List<PoolBlueprint.SecurityRule> rules = new ArrayList<>();
        rules.add(new PoolBlueprint.SecurityRule("allow-ssh", 100, true, "Tcp", sources, "" + SSH_PORT));
        rules.add(new PoolBlueprint.SecurityRule("allow-admin-ssh", 105, true, "Tcp", sources, "" + ADMIN_SSH_PORT));
        rules.add(new PoolBlueprint.SecurityRule("allow-jupyterhub", 110, true, "Tcp", sources, "" + JUPYTERHUB_PORT));
        rules.add(new PoolBlueprint.SecurityRule("allow-load-balancer-probe", 120, true, "Tcp",
                List.of("AzureLoadBalancer"), "" + probe.port()));
        rules.add(new PoolBlueprint.SecurityRule("deny-all-inbound", 4000, false, "*", List.of("*"), "*"));
        return rules;
    }

    private static String roleDefinition(BlueprintSettings settings, PoolRole role) {
        return "/subscriptions/" + settings.subscriptionId() + "/providers/Microsoft.Authorization/roleDefinitions/"
                + role.id();
    }

    /** A role assignment's name must be a GUID; deriving it from the pool keeps retries from making a second one. */
    static String stableGuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
