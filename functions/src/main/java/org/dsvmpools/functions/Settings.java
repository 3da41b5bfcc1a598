package org.dsvmpools.functions;

import java.util.Map;
import java.util.Optional;

/**
 * The app settings the app reads, by name. Functions passes app settings (and local.settings.json Values) as
 * environment variables. Every name here has a line in the settings table of docs/configuration.md and in
 * local.settings.json.example.
 */
public record Settings(Map<String, String> values) {
    public static final String STORAGE_CONNECTION = "AzureWebJobsStorage";
    public static final String ALLOWED_VM_SIZES = "DSVMPOOLS_ALLOWED_VM_SIZES";
    /** Images pools may name besides the default ({@link #VM_IMAGE}): comma-separated publisher:offer:sku:version. */
    public static final String ALLOWED_IMAGES = "DSVMPOOLS_ALLOWED_IMAGES";
    /** Existing resource groups a pool spec may name, comma-separated; unset: none, each pool gets its own (#27). */
    public static final String ALLOWED_RESOURCE_GROUPS = "DSVMPOOLS_ALLOWED_RESOURCE_GROUPS";
    public static final String POOL_TABLE = "DSVMPOOLS_POOL_TABLE";
    public static final String STUCK_AFTER_MINUTES = "DSVMPOOLS_STUCK_AFTER_MINUTES";
    /** Read by the Functions host itself, through {@code %DSVMPOOLS_RECOVERY_SCHEDULE%} in the timer binding. */
    public static final String RECOVERY_SCHEDULE = "DSVMPOOLS_RECOVERY_SCHEDULE";
    /** Read by the Functions host itself, through {@code %DSVMPOOLS_SCALE_SCHEDULE%} in the scaler's timer. */
    public static final String SCALE_SCHEDULE = "DSVMPOOLS_SCALE_SCHEDULE";
    /** Read by the Functions host itself, through {@code %DSVMPOOLS_ROSTER_SCHEDULE%}: the daily roster safety net. */
    public static final String ROSTER_SCHEDULE = "DSVMPOOLS_ROSTER_SCHEDULE";
    /**
     * The Function App's managed identity (its object id): given "Storage File Data Privileged Contributor" on each
     * pool's storage account, so that onboarding reaches Files over OAuth without an account key.
     */
    public static final String CONTROL_PLANE_PRINCIPAL_ID = "DSVMPOOLS_CONTROL_PLANE_PRINCIPAL_ID";
    /** Microsoft Graph, for roster groups. Default: Graph's public cloud; the dev stack points it at the emulator. */
    public static final String GRAPH_ENDPOINT = "DSVMPOOLS_GRAPH_ENDPOINT";
    /** Where Graph sends the followed groups' changes: the Event Grid partner topic, as Graph names it. */
    public static final String GRAPH_NOTIFICATION_URL = "DSVMPOOLS_GRAPH_NOTIFICATION_URL";
    /** Azure Resource Manager; a loopback URL means the local emulator. Default: Azure's public cloud. */
    public static final String ARM_ENDPOINT = "DSVMPOOLS_ARM_ENDPOINT";
    /** The subscription pools are deployed to. */
    public static final String SUBSCRIPTION_ID = "DSVMPOOLS_SUBSCRIPTION_ID";
    /** The Entra tenant of that subscription; DefaultAzureCredential finds it itself when unset. */
    public static final String TENANT_ID = "AZURE_TENANT_ID";
    /** {@code publisher:offer:sku:version} of the pools' VM image. */
    public static final String VM_IMAGE = "DSVMPOOLS_VM_IMAGE";
    /** The Function App's own subnet, allowed through each pool's storage firewall. */
    public static final String CONTROL_PLANE_SUBNET_ID = "DSVMPOOLS_CONTROL_PLANE_SUBNET_ID";
    /** The control plane's usage-reports queue as the VM agents reach it; unset: pools get no usage agent. */
    public static final String USAGE_QUEUE_URL = "DSVMPOOLS_USAGE_QUEUE_URL";
    /** That queue's ARM id, the scope of the agents' "Storage Queue Data Message Sender" role. */
    public static final String USAGE_QUEUE_ID = "DSVMPOOLS_USAGE_QUEUE_ID";
    /** How long the worker waits before looking again at an ARM operation that gave no Retry-After. */
    public static final String RECHECK_SECONDS = "DSVMPOOLS_RECHECK_SECONDS";
    /** The hub app registration's client id; unset: pools keep the image's JupyterHub sign-in (PAM). */
    public static final String HUB_CLIENT_ID = "DSVMPOOLS_HUB_CLIENT_ID";
    /** ARM id of the user-assigned identity every pool's instances carry, which that app registration trusts. */
    public static final String HUB_IDENTITY_ID = "DSVMPOOLS_HUB_IDENTITY_ID";
    /** That identity's client id, which the hub names when it asks the metadata service for its token. */
    public static final String HUB_IDENTITY_CLIENT_ID = "DSVMPOOLS_HUB_IDENTITY_CLIENT_ID";
    /**
     * The front door's app registration's client id; unset: no front door ({@code /api/p/{pool}} says so). Its
     * federated credential trusts the Function App's identity, so no secret exists.
     */
    public static final String DOOR_CLIENT_ID = "DSVMPOOLS_DOOR_CLIENT_ID";
    /**
     * Where browsers reach the app's routes, {@code https://<app>.azurewebsites.net/api}: the door's sign-in
     * comes back to {@code <this>/door/signed-in}, which the app registration must list as a redirect URI.
     */
    public static final String DOOR_URL = "DSVMPOOLS_DOOR_URL";
    /** The Azure Retail Prices API, for the portal's compute cost (the emulator's under the dev stack). */
    public static final String RETAIL_PRICES_URL = "DSVMPOOLS_RETAIL_PRICES_URL";
    /** Entra ID's OpenID Connect authority; default: login.microsoftonline.com for {@link #TENANT_ID}. */
    public static final String ENTRA_AUTHORITY = "DSVMPOOLS_ENTRA_AUTHORITY";
    /**
     * The API's application id URI ({@code api://<client id>}): set, every HTTP call needs an Entra access token for
     * it, which the app checks itself (App Service Authentication blocks nobody on Flex Consumption).
     */
    public static final String API_AUDIENCE = "DSVMPOOLS_API_AUDIENCE";
    /**
     * The delegated scope the API's tokens must carry in {@code scp} unless they carry one of its app roles
     * ({@code Pools.Admin}, {@code Pools.Caller}); default {@code user_impersonation}, the scope the portal's "Expose
     * an API" suggests. No managed identity has either, so VMs and the hub cannot call the API (#27).
     */
    public static final String API_SCOPE = "DSVMPOOLS_API_SCOPE";
    /** The most users (not removed) one pool's roster holds; default {@code Onboarding.DEFAULT_MAX_USERS}. */
    public static final String MAX_USERS_PER_POOL = "DSVMPOOLS_MAX_USERS_PER_POOL";
    /** The most pools one owner may have (a {@code Pools.Admin} may exceed it); default 5. */
    public static final String MAX_POOLS_PER_OWNER = org.dsvmpools.pool.Limits.POOLS_PER_OWNER_SETTING;
    /** The most instances across all pools, as the sum of their {@code max}; nobody exceeds it. Default 200. */
    public static final String MAX_INSTANCES = org.dsvmpools.pool.Limits.INSTANCES_SETTING;
    /** Comma-separated regions pools may be in; unset: any. */
    public static final String ALLOWED_REGIONS = org.dsvmpools.pool.Limits.REGIONS_SETTING;
    /**
     * The audience of the VMs' managed-identity tokens for {@code POST /api/usage} (an app registration's
     * application id URI): set, pools' agents report over HTTPS and each report is accepted only from its pool's
     * instances; unset, they use the usage queue, where a VM could report for any pool.
     */
    public static final String USAGE_AUDIENCE = "DSVMPOOLS_USAGE_AUDIENCE";
    /** Where the VMs reach {@code POST /api/usage}: {@code https://<app>.azurewebsites.net/api/usage}. */
    public static final String USAGE_URL = "DSVMPOOLS_USAGE_URL";
    /** Set to {@code True} by App Service when App Service Authentication (Easy Auth) is on. */
    public static final String PLATFORM_AUTH_ENABLED = "WEBSITE_AUTH_ENABLED";

    /**
     * For test runs only: an ISO-8601 duration (P60D) the app's clock runs ahead of the system clock, so CI finds a
     * rule that depends on today's date before the date comes (#26). The emulator and the local host read the same
     * variable (kit's SystemClock). Nothing in production sets it.
     */
    public static final String CLOCK_AHEAD = "DSVMPOOLS_CLOCK_AHEAD";

    public Settings {
        values = Map.copyOf(values);
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    /**
     * The app's own storage as the Functions host reads {@code AzureWebJobsStorage}: a connection string, or the
     * identity-based form ({@code AzureWebJobsStorage__accountName}, or {@code __tableServiceUri} and
     * {@code __queueServiceUri}; {@code __credential=managedidentity}; {@code __clientId} for a user-assigned
     * identity), which needs no key and works on an account with shared-key access off.
     */
    public org.dsvmpools.azure.StorageClients storage() {
        Optional<String> connection = optional(STORAGE_CONNECTION);
        if (connection.isPresent()) {
            return new org.dsvmpools.azure.StorageClients(connection.get());
        }
        String prefix = STORAGE_CONNECTION + "__";
        Optional<String> account = optional(prefix + "accountName");
        Optional<String> tables = optional(prefix + "tableServiceUri")
                .or(() -> account.map(name -> "https://" + name + ".table.core.windows.net"));
        Optional<String> queues = optional(prefix + "queueServiceUri")
                .or(() -> account.map(name -> "https://" + name + ".queue.core.windows.net"));
        if (tables.isEmpty() || queues.isEmpty()) {
            throw new IllegalStateException("app setting " + STORAGE_CONNECTION + " is required: a connection string,"
                    + " or " + prefix + "accountName (or " + prefix + "tableServiceUri and " + prefix
                    + "queueServiceUri) with " + prefix + "credential=managedidentity");
        }
        String credential = optional(prefix + "credential").orElse("managedidentity");
        if (!credential.equalsIgnoreCase("managedidentity")) {
            throw new IllegalStateException(prefix + "credential must be managedidentity, not '" + credential + "'");
        }
        return new org.dsvmpools.azure.StorageClients(new org.dsvmpools.azure.StorageClients.Identity(tables.get(),
                queues.get(), optional(prefix + "clientId").orElse(null)));
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalStateException(
                "app setting " + name + " is not set (see the settings table in docs/configuration.md)"));
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name)).filter(value -> !value.isBlank());
    }

    /** How far the app's clock runs ahead of the system clock: {@link #CLOCK_AHEAD}, zero when unset. */
    public java.time.Duration clockAhead() {
        Optional<String> value = optional(CLOCK_AHEAD);
        try {
            return value.map(String::trim).map(java.time.Duration::parse).orElse(java.time.Duration.ZERO);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException("app setting " + CLOCK_AHEAD + " must be an ISO-8601 duration such as P60D,"
                    + " was '" + value.orElse("") + "'", e);
        }
    }

    public int integer(String name, int defaultValue) {
        Optional<String> value = optional(name);
        try {
            return value.map(String::trim).map(Integer::parseInt).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("app setting " + name + " must be a whole number, was '"
                    + value.orElse("") + "'", e);
        }
    }
}
