package org.dsvmpools.functions;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.dsvmpools.azure.ArmClients;
import org.dsvmpools.azure.ArmCloudResources;
import org.dsvmpools.azure.ArmPoolInstances;
import org.dsvmpools.azure.AzureFilesPoolShare;
import org.dsvmpools.azure.GraphGroupMembers;
import org.dsvmpools.azure.StorageClients;
import org.dsvmpools.azure.StorageQueueWakeRequests;
import org.dsvmpools.azure.StorageQueueWorkQueue;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.azure.TableScalerLeases;
import org.dsvmpools.azure.TableScalingSnapshots;
import org.dsvmpools.azure.TableDeltaLinks;
import org.dsvmpools.azure.TableRosterStore;
import org.dsvmpools.azure.TableUsageReports;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.onboarding.RosterSync;
import org.dsvmpools.pool.IntakePolicy;
import org.dsvmpools.pool.PoolIntake;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolSpecRules;
import org.dsvmpools.pool.StuckPoolRecovery;
import org.dsvmpools.pool.WorkQueue;
import org.dsvmpools.provisioning.BlueprintSettings;
import org.dsvmpools.provisioning.CloudResources;
import org.dsvmpools.provisioning.PoisonedWork;
import org.dsvmpools.provisioning.ProvisioningWorker;
import org.dsvmpools.provisioning.WorkerPolicy;
import org.dsvmpools.scaling.Scaler;
import org.dsvmpools.scaling.ScalingSnapshots;
import org.dsvmpools.scaling.UsageIngestion;
import org.dsvmpools.scaling.UsageReports;
import org.dsvmpools.scaling.Wake;

/**
 * The composition root: builds the object graph once per process. The Functions worker asks for a new function
 * instance on every invocation, so the function classes take their services from here instead of building them.
 * Nothing here touches the network or the ARM SDK: the first request pays only for Storage clients; the ARM
 * clients are built when the worker handles its first message.
 */
public final class App {
    private static final int DEFAULT_STUCK_AFTER_MINUTES = 10;
    private static final int DEFAULT_RECHECK_SECONDS = 15;
    /** The agents' latest usage report per instance, and the scaler's per-pool leases. */
    static final String USAGE_TABLE = "usage";
    static final String LEASE_TABLE = "scalerleases";
    /** What the scaler last saw and decided per pool, which GET shows. */
    static final String SCALING_TABLE = "scaling";
    /** Each pool's users: state, uid and the event time of the last change. */
    static final String ROSTER_TABLE = "roster";
    /** Where each roster group's next Graph members delta query starts. */
    static final String DELTA_TABLE = "rosterdelta";
    private static volatile App instance;

    private final PoolSpecRules rules;
    private final PoolIntake intake;
    private final StuckPoolRecovery recovery;
    private final ClientPrincipals principals;
    private final PoisonedWork poisoned;
    private final Supplier<ProvisioningWorker> worker;
    private final ScalingParts scaling;
    private final Onboarding onboarding;
    private final RosterSync rosterSync;

    /**
     * The scaler's side of the graph, over the scaler's tables and queues. {@code null} parts mean an app wired
     * for the intake and the worker alone, as tests of those paths wire it.
     */
    record ScalingParts(Supplier<Scaler> scaler, Wake wake, UsageIngestion usage, ScalingSnapshots snapshots) {
        static final ScalingParts NONE = new ScalingParts(null, null, null, null);
    }

    App(PoolSpecRules rules, PoolIntake intake, StuckPoolRecovery recovery, ClientPrincipals principals,
        PoisonedWork poisoned, Supplier<ProvisioningWorker> worker, ScalingParts scaling, Onboarding onboarding,
        RosterSync rosterSync) {
        this.rules = rules;
        this.intake = intake;
        this.recovery = recovery;
        this.principals = principals;
        this.poisoned = poisoned;
        this.worker = worker;
        this.scaling = scaling;
        this.onboarding = onboarding;
        this.rosterSync = rosterSync;
    }

    public static App get() {
        App app = instance;
        if (app == null) {
            synchronized (App.class) {
                app = instance;
                if (app == null) {
                    app = fromSettings(Settings.fromEnvironment(), Clock.systemUTC());
                    instance = app;
                }
            }
        }
        return app;
    }

    public static App fromSettings(Settings settings, Clock clock) {
        StorageClients storage = new StorageClients(settings.required(Settings.STORAGE_CONNECTION));
        PoolRepository repository = new TablePoolRepository(
                storage.table(settings.optional(Settings.POOL_TABLE).orElse(TablePoolRepository.DEFAULT_TABLE)));
        WorkQueue queue = new StorageQueueWorkQueue(storage.queue(StorageQueueWorkQueue.POOL_REQUESTS));
        String armEndpoint = settings.optional(Settings.ARM_ENDPOINT).orElse(BlueprintSettings.AZURE_ARM);
        Supplier<ArmClients> arm = once(() -> new ArmClients(armEndpoint,
                settings.optional(Settings.TENANT_ID).orElse(null), settings.required(Settings.SUBSCRIPTION_ID),
                null));
        UsageReports reports = new TableUsageReports(storage.table(USAGE_TABLE));
        ScalingSnapshots snapshots = new TableScalingSnapshots(storage.table(SCALING_TABLE));
        ScalingParts scaling = new ScalingParts(
                once(() -> new Scaler(repository, new ArmPoolInstances(arm.get()), reports,
                        new TableScalerLeases(storage.table(LEASE_TABLE)), snapshots, clock)),
                new Wake(repository, new StorageQueueWakeRequests(storage.queue(StorageQueueWakeRequests.POOL_WAKES)),
                        clock),
                new UsageIngestion(repository, reports, clock),
                snapshots);
        TableRosterStore roster = new TableRosterStore(storage.table(ROSTER_TABLE));
        Onboarding onboarding = new Onboarding(repository, roster, new AzureFilesPoolShare(armEndpoint, arm));
        RosterSync rosterSync = new RosterSync(repository, roster, new GraphGroupMembers(
                settings.optional(Settings.GRAPH_ENDPOINT).orElse(GraphGroupMembers.GRAPH), arm),
                new TableDeltaLinks(storage.table(DELTA_TABLE)), onboarding);
        return wire(settings, clock, repository, queue, () -> new ArmCloudResources(arm.get()), scaling, onboarding,
                rosterSync);
    }

    /**
     * The graph over given adapters: tests and benchmarks swap an adapter, everything else stays real. The
     * cloud is asked for only when the worker first runs, since building ARM clients takes seconds.
     */
    public static App wire(Settings settings, Clock clock, PoolRepository repository, WorkQueue queue,
                           Supplier<CloudResources> cloud) {
        return wire(settings, clock, repository, queue, cloud, ScalingParts.NONE, null, null);
    }

    private static App wire(Settings settings, Clock clock, PoolRepository repository, WorkQueue queue,
                            Supplier<CloudResources> cloud, ScalingParts scaling, Onboarding onboarding,
                            RosterSync rosterSync) {
        Duration stuckAfter = Duration.ofMinutes(
                settings.integer(Settings.STUCK_AFTER_MINUTES, DEFAULT_STUCK_AFTER_MINUTES));
        boolean platformAuth = settings.optional(Settings.PLATFORM_AUTH_ENABLED)
                .map(Boolean::parseBoolean).orElse(false);
        return new App(
                new PoolSpecRules(intakePolicy(settings)),
                new PoolIntake(repository, queue, clock),
                new StuckPoolRecovery(repository, queue, clock, stuckAfter),
                new ClientPrincipals(platformAuth),
                new PoisonedWork(repository, clock),
                once(() -> new ProvisioningWorker(repository, queue, cloud.get(), blueprintSettings(settings),
                        WorkerPolicy.defaults(), Duration.ofSeconds(settings.integer(Settings.RECHECK_SECONDS,
                        DEFAULT_RECHECK_SECONDS)), clock, duration -> Thread.sleep(duration.toMillis()))),
                scaling, onboarding, rosterSync);
    }

    private static BlueprintSettings blueprintSettings(Settings settings) {
        return new BlueprintSettings(settings.optional(Settings.VM_IMAGE).orElse(BlueprintSettings.DEFAULT_IMAGE),
                settings.required(Settings.SUBSCRIPTION_ID),
                settings.optional(Settings.CONTROL_PLANE_SUBNET_ID).orElse(null),
                settings.optional(Settings.ARM_ENDPOINT).orElse(BlueprintSettings.AZURE_ARM),
                settings.optional(Settings.USAGE_QUEUE_URL).map(url -> new BlueprintSettings.UsageQueue(url,
                        settings.required(Settings.USAGE_QUEUE_ID))).orElse(null),
                settings.optional(Settings.CONTROL_PLANE_PRINCIPAL_ID).orElse(null));
    }

    /** A supplier that builds its value on first use, once, even when first used by several threads at once. */
    private static <T> Supplier<T> once(Supplier<T> build) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = build.get();
                }
                return value;
            }
        };
    }

    /** The default image is the first allowed: a pool that names none gets it. */
    private static IntakePolicy intakePolicy(Settings settings) {
        Set<String> sizes = settings.optional(Settings.ALLOWED_VM_SIZES).map(App::list).map(Set::copyOf)
                .orElseGet(() -> Set.copyOf(IntakePolicy.DEFAULT_VM_SIZES));
        List<String> images = new ArrayList<>();
        images.add(settings.optional(Settings.VM_IMAGE).orElse(BlueprintSettings.DEFAULT_IMAGE));
        settings.optional(Settings.ALLOWED_IMAGES).map(App::list).ifPresent(images::addAll);
        return new IntakePolicy(sizes, images);
    }

    private static List<String> list(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    PoolSpecRules rules() {
        return rules;
    }

    PoolIntake intake() {
        return intake;
    }

    StuckPoolRecovery recovery() {
        return recovery;
    }

    ClientPrincipals principals() {
        return principals;
    }

    PoisonedWork poisoned() {
        return poisoned;
    }

    ProvisioningWorker worker() {
        return worker.get();
    }

    Scaler scaler() {
        return wired(scaling.scaler(), "scaler").get();
    }

    /** Empty when the app was wired without the scaler's tables (tests of the HTTP paths alone). */
    Optional<ScalingSnapshots> snapshots() {
        return Optional.ofNullable(scaling.snapshots());
    }

    UsageIngestion usage() {
        return wired(scaling.usage(), "usage table");
    }

    Wake wake() {
        return wired(scaling.wake(), "wake queue");
    }

    Onboarding onboarding() {
        return wired(onboarding, "roster");
    }

    RosterSync rosterSync() {
        return wired(rosterSync, "roster group reader");
    }

    /** False for an app wired without the roster (tests of the intake and worker alone). */
    boolean hasRoster() {
        return rosterSync != null;
    }

    private static <T> T wired(T part, String what) {
        if (part == null) {
            throw new IllegalStateException("this app was wired without a " + what);
        }
        return part;
    }
}
