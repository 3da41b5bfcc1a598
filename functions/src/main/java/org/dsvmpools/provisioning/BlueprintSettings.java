package org.dsvmpools.provisioning;

import java.util.Objects;
import org.dsvmpools.pool.PoolImage;

/**
 * What an installation decides about every pool it deploys.
 *
 * @param image                 {@code publisher:offer:sku:version} of the VM image of pools whose spec names none
 *                              (pools stored before the spec had an image)
 * @param subscriptionId        where pools go; the mount script needs it to ask for the storage key
 * @param controlPlaneSubnetId  the subnet the Function App runs in, allowed through the storage firewall so that
 *                              onboarding can write users' folders; {@code null} when the app is not in a VNet
 * @param armEndpoint           Azure Resource Manager, as seen from the VMs
 * @param usage                 where the VM agents send usage reports, or {@code null} to install no agent
 * @param hubSignIn             JupyterHub's sign-in through Entra ID, or {@code null} to leave the image's (PAM)
 */
public record BlueprintSettings(String image, String subscriptionId, String controlPlaneSubnetId, String armEndpoint,
                                UsageTarget usage, String controlPlanePrincipalId, HubSignIn hubSignIn) {
    public static final String DEFAULT_IMAGE = PoolImage.DEFAULT;
    public static final String AZURE_ARM = "https://management.azure.com";

    /** Where the agents report: the usage queue, or the control plane's HTTPS endpoint. */
    public sealed interface UsageTarget permits UsageQueue, UsageEndpoint {
        String url();
    }

    /**
     * The control plane's {@code usage-reports} queue: its URL for the agents and its ARM id for their role. Any
     * scale set with the role can put any pool's report there.
     */
    public record UsageQueue(String url, String resourceId) implements UsageTarget {
        public UsageQueue {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(resourceId, "resourceId");
        }
    }

    /**
     * {@code POST /api/usage} as the VMs reach it, and the audience of the managed-identity token they send: a
     * report is accepted only from the pool's own instances. No role is granted for it.
     */
    public record UsageEndpoint(String url, String audience) implements UsageTarget {
        public UsageEndpoint {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(audience, "audience");
        }
    }

    public BlueprintSettings(String image, String subscriptionId, String controlPlaneSubnetId, String armEndpoint) {
        this(image, subscriptionId, controlPlaneSubnetId, armEndpoint, null, null, null);
    }

    public BlueprintSettings(String image, String subscriptionId, String controlPlaneSubnetId, String armEndpoint,
                             UsageTarget usage, String controlPlanePrincipalId) {
        this(image, subscriptionId, controlPlaneSubnetId, armEndpoint, usage, controlPlanePrincipalId, null);
    }

    /**
     * What names this installation in its resources' tags: the control plane identity's principal id, which no
     * other installation shares, or {@code unnamed} where there is none (a test's blueprint).
     */
    public String installation() {
        return controlPlanePrincipalId == null ? "unnamed" : controlPlanePrincipalId;
    }

    /** These settings, with JupyterHub signing users in through Entra ID. */
    public BlueprintSettings withHubSignIn(HubSignIn signIn) {
        return new BlueprintSettings(image, subscriptionId, controlPlaneSubnetId, armEndpoint, usage,
                controlPlanePrincipalId, signIn);
    }

    public BlueprintSettings(String image, String subscriptionId, String controlPlaneSubnetId, String armEndpoint,
                             UsageTarget usage) {
        this(image, subscriptionId, controlPlaneSubnetId, armEndpoint, usage, null);
    }

    public BlueprintSettings {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(armEndpoint, "armEndpoint");
        new PoolImage(image);
    }
}
