package org.dsvmpools.functions;

import java.util.function.Supplier;
import org.dsvmpools.azure.ArmClients;
import org.dsvmpools.azure.ArmCloudResources;
import org.dsvmpools.azure.ArmPoolInstances;
import org.dsvmpools.azure.GraphAppRedirects;
import org.dsvmpools.azure.AzureFilesPoolShare;
import org.dsvmpools.azure.GraphGroupMembers;
import org.dsvmpools.azure.GraphGroupSubscriptions;
import org.dsvmpools.azure.StorageClients;
import org.dsvmpools.azure.StorageQueueWakeRequests;
import org.dsvmpools.azure.StorageQueueWorkQueue;
import org.dsvmpools.azure.TableDeltaLinks;
import org.dsvmpools.azure.TableDemandHistories;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.azure.TableRosterStore;
import org.dsvmpools.azure.TableScalerLeases;
import org.dsvmpools.azure.TableScalingSnapshots;
import org.dsvmpools.azure.TableUsageReports;
import org.dsvmpools.onboarding.DeltaLinks;
import org.dsvmpools.onboarding.GroupMembers;
import org.dsvmpools.onboarding.GroupSubscriptions;
import org.dsvmpools.onboarding.PoolShare;
import org.dsvmpools.onboarding.RosterStore;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.WorkQueue;
import org.dsvmpools.provisioning.BlueprintSettings;
import org.dsvmpools.provisioning.CloudResources;
import org.dsvmpools.provisioning.SignInRedirects;
import org.dsvmpools.scaling.DemandHistories;
import org.dsvmpools.scaling.PoolInstances;
import org.dsvmpools.scaling.ScalerLeases;
import org.dsvmpools.scaling.ScalingSnapshots;
import org.dsvmpools.scaling.UsageReports;
import org.dsvmpools.scaling.WakeRequests;
import org.dsvmpools.door.DoorPorts;
import org.dsvmpools.door.DoorSessions;
import org.dsvmpools.door.IdentityProvider;
import org.dsvmpools.azure.EntraDoorSignIn;
import org.dsvmpools.azure.TableDoorSessions;
import org.dsvmpools.azure.TableWakeLedger;
import org.dsvmpools.azure.TableSessionLog;
import org.dsvmpools.azure.RetailPrices;
import org.dsvmpools.scaling.SessionLog;

/**
 * Every port the app stands on, as one value: production builds them from the settings, and a test swaps the one
 * it fakes and keeps the rest ({@code subscriptions} is null when no Graph notification target is set, and
 * {@code redirects} when JupyterHub keeps the image's sign-in; {@code entraHttp} reads the tenant's keys). The
 * ARM-backed ones are suppliers, asked for on first use, since building ARM
 * clients takes seconds and the HTTP paths never need them.
 */
public record Adapters(PoolRepository repository, WorkQueue queue, Supplier<CloudResources> cloud,
                       Supplier<PoolInstances> instances, UsageReports reports, ScalerLeases leases,
                       ScalingSnapshots snapshots, DemandHistories histories, WakeRequests wakes, RosterStore roster,
                       PoolShare share, GroupMembers groups, DeltaLinks deltaLinks,
                       GroupSubscriptions subscriptions, SignInRedirects redirects,
                       java.net.http.HttpClient entraHttp, FrontDoorAdapters door) {
    /**
     * The front door's own: sign-ins and sessions, the wake counts, and the tenant's sign-in (null when the
     * installation has no door).
     */
    /**
     * @param usage  who used which pool when, for the portal's "your sessions this week"
     * @param prices the VM sizes' pay-as-you-go prices, for its "compute so far this month"
     */
    public record FrontDoorAdapters(DoorSessions sessions, DoorPorts.WakeLedger ledger, IdentityProvider tenant,
                                    SessionLog usage, DoorPorts.ComputePrices prices) {
    }

    /** Each pool user's sessions, begun and ended, for the portal. */
    static final String SESSION_TABLE = "sessions";

    /** Sign-ins in flight, sessions and wake counts: small rows, read on every visit to a door. */
    static final String DOOR_TABLE = "frontdoor";

    /** The agents' latest usage report per instance, and the scaler's per-pool leases. */
    static final String USAGE_TABLE = "usage";
    static final String LEASE_TABLE = "scalerleases";
    /** What the scaler last saw and decided per pool, which GET shows. */
    static final String SCALING_TABLE = "scaling";
    /** Each pool's demand per day and 15-minute slot, eight weeks of it: what the forecast learns from. */
    static final String DEMAND_TABLE = "demand";
    /** Each pool's users: state, uid and the event time of the last change. */
    static final String ROSTER_TABLE = "roster";
    /** Where each roster group's next Graph members delta query starts. */
    static final String DELTA_TABLE = "rosterdelta";

    /** Storage, ARM and Graph as the settings name them; nothing here touches the network. */
    public static Adapters fromSettings(Settings settings, java.time.Clock clock) {
        StorageClients storage = settings.storage();
        String armEndpoint = settings.optional(Settings.ARM_ENDPOINT).orElse(BlueprintSettings.AZURE_ARM);
        String graph = settings.optional(Settings.GRAPH_ENDPOINT).orElse(GraphGroupMembers.GRAPH);
        Supplier<ArmClients> arm = Lazy.of(() -> new ArmClients(armEndpoint,
                settings.optional(Settings.TENANT_ID).orElse(null), settings.required(Settings.SUBSCRIPTION_ID),
                null));
        // The scaler's own clients: a tick never sleeps through throttling (ArmClients.tickRetries).
        Supplier<ArmClients> scalerArm = Lazy.of(() -> new ArmClients(armEndpoint,
                settings.optional(Settings.TENANT_ID).orElse(null), settings.required(Settings.SUBSCRIPTION_ID),
                null, ArmClients.tickRetries()));
        return new Adapters(
                new TablePoolRepository(storage.table(
                        settings.optional(Settings.POOL_TABLE).orElse(TablePoolRepository.DEFAULT_TABLE))),
                new StorageQueueWorkQueue(storage.queue(StorageQueueWorkQueue.POOL_REQUESTS)),
                Lazy.of(() -> new ArmCloudResources(arm.get())),
                Lazy.of(() -> new ArmPoolInstances(scalerArm.get())),
                new TableUsageReports(storage.table(USAGE_TABLE)),
                new TableScalerLeases(storage.table(LEASE_TABLE)),
                new TableScalingSnapshots(storage.table(SCALING_TABLE)),
                new TableDemandHistories(storage.table(DEMAND_TABLE)),
                new StorageQueueWakeRequests(storage.queue(StorageQueueWakeRequests.POOL_WAKES)),
                new TableRosterStore(storage.table(ROSTER_TABLE)),
                new AzureFilesPoolShare(armEndpoint, arm, clock),
                new GraphGroupMembers(graph, arm),
                new TableDeltaLinks(storage.table(DELTA_TABLE)),
                settings.optional(Settings.GRAPH_NOTIFICATION_URL)
                        .map(url -> new GraphGroupSubscriptions(graph, url, arm)).orElse(null),
                settings.optional(Settings.HUB_CLIENT_ID)
                        .map(appId -> new GraphAppRedirects(graph, appId, arm)).orElse(null),
                java.net.http.HttpClient.newHttpClient(), door(settings, storage, arm, clock));
    }

    private static FrontDoorAdapters door(Settings settings, StorageClients storage, Supplier<ArmClients> arm,
                                          java.time.Clock clock) {
        IdentityProvider tenant = settings.optional(Settings.DOOR_CLIENT_ID).map(clientId -> EntraDoorSignIn.of(
                Configuration.entraAuthority(settings), clientId, Configuration.doorCallback(settings), arm,
                java.net.http.HttpClient.newHttpClient(), clock)).orElse(null);
        return new FrontDoorAdapters(new TableDoorSessions(storage.table(DOOR_TABLE)),
                new TableWakeLedger(storage.table(DOOR_TABLE)), tenant, new TableSessionLog(storage.table(SESSION_TABLE)),
                new RetailPrices(java.net.URI.create(settings.optional(Settings.RETAIL_PRICES_URL)
                        .orElse(RetailPrices.ENDPOINT)), java.net.http.HttpClient.newHttpClient(), clock));
    }

    public Adapters withRepository(PoolRepository replacement) {
        return new Adapters(replacement, queue, cloud, instances, reports, leases, snapshots, histories, wakes,
                roster, share, groups, deltaLinks, subscriptions, redirects, entraHttp, door);
    }

    public Adapters withQueue(WorkQueue replacement) {
        return new Adapters(repository, replacement, cloud, instances, reports, leases, snapshots, histories,
                wakes, roster, share, groups, deltaLinks, subscriptions, redirects, entraHttp, door);
    }

    public Adapters withRedirects(SignInRedirects replacement) {
        return new Adapters(repository, queue, cloud, instances, reports, leases, snapshots, histories, wakes,
                roster, share, groups, deltaLinks, subscriptions, replacement, entraHttp, door);
    }

    /** Entra ID's keys read through this client (a test's trusts the emulator's certificate). */
    public Adapters withEntraHttp(java.net.http.HttpClient replacement) {
        return new Adapters(repository, queue, cloud, instances, reports, leases, snapshots, histories, wakes,
                roster, share, groups, deltaLinks, subscriptions, redirects, replacement, door);
    }

    public Adapters withDoor(FrontDoorAdapters replacement) {
        return new Adapters(repository, queue, cloud, instances, reports, leases, snapshots, histories, wakes,
                roster, share, groups, deltaLinks, subscriptions, redirects, entraHttp, replacement);
    }

    public Adapters withCloud(Supplier<CloudResources> replacement) {
        return new Adapters(repository, queue, replacement, instances, reports, leases, snapshots, histories,
                wakes, roster, share, groups, deltaLinks, subscriptions, redirects, entraHttp, door);
    }
}
