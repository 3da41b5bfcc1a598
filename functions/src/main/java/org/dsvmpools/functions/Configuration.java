package org.dsvmpools.functions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dsvmpools.pool.IntakePolicy;
import org.dsvmpools.pool.Limits;
import org.dsvmpools.provisioning.BlueprintSettings;
import org.dsvmpools.provisioning.HubSignIn;

/** What the app settings say, as the domain's values: one place that reads each setting into what uses it. */
final class Configuration {
    private Configuration() {
    }

    static Limits limits(Settings settings) {
        return new Limits(settings.integer(Settings.MAX_POOLS_PER_OWNER, Limits.DEFAULT_POOLS_PER_OWNER),
                settings.integer(Settings.MAX_INSTANCES, Limits.DEFAULT_INSTANCES),
                Set.copyOf(settings.optional(Settings.ALLOWED_REGIONS).map(Configuration::list).orElse(List.of())));
    }

    static BlueprintSettings blueprintSettings(Settings settings) {
        return new BlueprintSettings(settings.optional(Settings.VM_IMAGE).orElse(BlueprintSettings.DEFAULT_IMAGE),
                settings.required(Settings.SUBSCRIPTION_ID),
                settings.optional(Settings.CONTROL_PLANE_SUBNET_ID).orElse(null),
                settings.optional(Settings.ARM_ENDPOINT).orElse(BlueprintSettings.AZURE_ARM),
                usageTarget(settings),
                settings.optional(Settings.CONTROL_PLANE_PRINCIPAL_ID).orElse(null),
                settings.optional(Settings.HUB_CLIENT_ID).map(clientId -> new HubSignIn(entraAuthority(settings), clientId,
                        settings.required(Settings.HUB_IDENTITY_ID), settings.required(Settings.HUB_IDENTITY_CLIENT_ID)))
                        .orElse(null));
    }

    /** Reports over HTTPS, bound to their sender, when the installation has an audience for them; else the queue. */
    static BlueprintSettings.UsageTarget usageTarget(Settings settings) {
        Optional<String> audience = settings.optional(Settings.USAGE_AUDIENCE);
        if (audience.isPresent()) {
            return new BlueprintSettings.UsageEndpoint(settings.required(Settings.USAGE_URL), audience.get());
        }
        return settings.optional(Settings.USAGE_QUEUE_URL).map(url -> new BlueprintSettings.UsageQueue(url,
                settings.required(Settings.USAGE_QUEUE_ID))).orElse(null);
    }

    /** The tenant's OpenID Connect authority: the setting, or Entra ID's for the tenant. */
    /**
     * The front door's callback: {@code <DSVMPOOLS_DOOR_URL>/door/signed-in}, required with a door, since the
     * app cannot know the address browsers reach it by (a custom domain, a gateway) from inside.
     */
    static java.net.URI doorCallback(Settings settings) {
        String base = settings.required(Settings.DOOR_URL).replaceAll("/+$", "");
        java.net.URI uri = java.net.URI.create(base + "/door/signed-in");
        if (!"https".equals(uri.getScheme()) && !org.dsvmpools.azure.ArmClients.isLoopback(base)) {
            throw new IllegalStateException(Settings.DOOR_URL + " must be https (Entra ID takes http only for"
                    + " localhost): " + base);
        }
        return uri;
    }

    static String entraAuthority(Settings settings) {
        return settings.optional(Settings.ENTRA_AUTHORITY)
                .orElseGet(() -> HubSignIn.authorityOf(settings.required(Settings.TENANT_ID)));
    }

    /** The default image is the first allowed: a pool that names none gets it. */
    static IntakePolicy intakePolicy(Settings settings) {
        Set<String> sizes = settings.optional(Settings.ALLOWED_VM_SIZES).map(Configuration::list).map(Set::copyOf)
                .orElseGet(() -> Set.copyOf(IntakePolicy.DEFAULT_VM_SIZES));
        List<String> images = new ArrayList<>();
        images.add(settings.optional(Settings.VM_IMAGE).orElse(BlueprintSettings.DEFAULT_IMAGE));
        settings.optional(Settings.ALLOWED_IMAGES).map(Configuration::list).ifPresent(images::addAll);
        return new IntakePolicy(sizes, images, Set.copyOf(settings.optional(Settings.ALLOWED_RESOURCE_GROUPS)
                .map(Configuration::list).orElse(List.of())));
    }

    static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
