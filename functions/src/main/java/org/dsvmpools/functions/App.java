package org.dsvmpools.functions;

import org.dsvmpools.door.DoorSignIn;
import org.dsvmpools.door.FrontDoor;
import org.dsvmpools.door.Portal;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.dsvmpools.azure.EntraAccessTokens;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.onboarding.RosterEventDispatch;
import org.dsvmpools.onboarding.RosterSync;
import org.dsvmpools.onboarding.SubscriptionKeeper;
import org.dsvmpools.pool.PoolIntake;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolSpecRules;
import org.dsvmpools.pool.StuckPoolRecovery;
import org.dsvmpools.provisioning.FollowUps;
import org.dsvmpools.provisioning.HubRedirects;
import org.dsvmpools.provisioning.Outputs;
import org.dsvmpools.provisioning.PoisonedWork;
import org.dsvmpools.provisioning.ProvisioningWorker;
import org.dsvmpools.provisioning.ResourceKey;
import org.dsvmpools.provisioning.WorkerPolicy;
import org.dsvmpools.scaling.Rejections;
import org.dsvmpools.scaling.ReportSenders;
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
    private static final String DEFAULT_API_SCOPE = "user_impersonation";
    private static volatile App instance;

    private final PoolSpecRules rules;
    private final PoolIntake intake;
    private final StuckPoolRecovery recovery;
    private final ClientPrincipals principals;
    private final PoisonedWork poisoned;
    private final Supplier<ProvisioningWorker> worker;
    private final Supplier<Scaler> scaler;
    private final Wake wake;
    private final UsageIngestion usage;
    private final Optional<EntraAccessTokens> usageSenders;
    private final UsageReports reports;
    private final ScalingSnapshots snapshots;
    private final Onboarding onboarding;
    private final boolean hubSignsInWithEntra;
    private final RosterSync rosterSync;
    private final RosterEventDispatch rosterEvents;
    private final Clock clock;
    private final FrontDoor frontDoor;
    private final Optional<DoorSignIn> doorSignIn;
    private final Optional<String> doorUrl;
    private final Optional<DoorConnect> doorConnect;
    private final Portal portal;

    private App(Settings settings, Clock clock, Adapters adapters) {
        this.clock = clock;
        var repository = adapters.repository();
        this.rules = new PoolSpecRules(Configuration.intakePolicy(settings));
        this.intake = new PoolIntake(repository, adapters.queue(), clock, Configuration.limits(settings));
        this.recovery = new StuckPoolRecovery(repository, adapters.queue(), clock, Duration.ofMinutes(
                settings.integer(Settings.STUCK_AFTER_MINUTES, DEFAULT_STUCK_AFTER_MINUTES)));
        this.principals = new ClientPrincipals(settings.optional(Settings.PLATFORM_AUTH_ENABLED)
                .map(Boolean::parseBoolean).orElse(false), settings.optional(Settings.API_AUDIENCE)
                .map(audience -> new EntraAccessTokens(Configuration.entraAuthority(settings), audience,
                        EntraAccessTokens.Presenters.delegatedOrRoles(settings.optional(Settings.API_SCOPE)
                                .orElse(DEFAULT_API_SCOPE), Set.of(Caller.ADMIN_ROLE, Caller.APPLICATION_ROLE)),
                        adapters.entraHttp(), clock)).orElse(null));
        this.poisoned = new PoisonedWork(repository, clock);
        this.snapshots = adapters.snapshots();
        this.scaler = Lazy.of(() -> new Scaler(repository, adapters.instances().get(), adapters.reports(),
                adapters.leases(), snapshots, adapters.histories(), clock));
        this.wake = new Wake(repository, adapters.wakes(), clock);
        this.reports = adapters.reports();
        this.usage = new UsageIngestion(repository, adapters.reports(), clock, adapters.door().usage());
        this.usageSenders = settings.optional(Settings.USAGE_AUDIENCE).map(audience -> new EntraAccessTokens(
                Configuration.entraAuthority(settings), audience, EntraAccessTokens.Presenters.ANY_APPLICATION,
                adapters.entraHttp(), clock));
        this.onboarding = new Onboarding(repository, adapters.roster(), adapters.share(), clock, settings.integer(
                Settings.MAX_USERS_PER_POOL, Onboarding.DEFAULT_MAX_USERS));
        this.hubSignsInWithEntra = settings.optional(Settings.HUB_CLIENT_ID).isPresent();
        this.rosterSync = new RosterSync(repository, adapters.roster(), adapters.groups(), adapters.deltaLinks(),
                onboarding, new SubscriptionKeeper(adapters.subscriptions()), RosterSync.Waiter.REAL);
        this.rosterEvents = new RosterEventDispatch(onboarding, rosterSync);
        this.frontDoor = new FrontDoor(repository, DoorBridges.rosters(adapters.roster()),
                DoorBridges.seats(snapshots, adapters.reports(), clock), DoorBridges.waker(wake), adapters.door().ledger(), clock);
        this.doorSignIn = Optional.ofNullable(adapters.door().tenant())
                .map(tenant -> new DoorSignIn(tenant, adapters.door().sessions(), clock));
        this.doorUrl = settings.optional(Settings.DOOR_URL);
        this.doorConnect = settings.optional(Settings.DOOR_CLIENT_ID).map(clientId -> new DoorConnect(
                Configuration.entraAuthority(settings), clientId, new EntraAccessTokens(
                Configuration.entraAuthority(settings), "api://" + clientId,
                EntraAccessTokens.Presenters.delegated(DoorConnect.SCOPE), adapters.entraHttp(), clock)));
        this.portal = new Portal(repository, DoorBridges.rosters(adapters.roster()), DoorBridges.activity(snapshots),
                DoorBridges.rosterChanges(onboarding, clock), new Portal.Figures(DoorBridges.userSessions(
                adapters.door().usage(), adapters.reports(), clock), DoorBridges.hours(snapshots, clock),
                adapters.door().prices(), clock));
        // A pool is onboarded once Ready (its initial users, its group whole); what fails, the daily run redoes.
        this.worker = Lazy.of(() -> new ProvisioningWorker(repository, adapters.queue(), adapters.cloud().get(),
                Configuration.blueprintSettings(settings), WorkerPolicy.defaults(), Duration.ofSeconds(settings.integer(
                Settings.RECHECK_SECONDS, DEFAULT_RECHECK_SECONDS)), clock, duration -> Thread.sleep(duration.toMillis()),
                followUps(clock, adapters.redirects() == null ? null : new HubRedirects(repository, adapters.redirects()))));
    }

    /** Onboarding once Ready; the pools' sign-in addresses in Entra ID after Ready and Deleted, when the hub signs in there. */
    private FollowUps followUps(Clock clock, HubRedirects redirects) {
        return new FollowUps() {
            @Override
            public String afterReady(PoolName pool) {
                String signIn = redirects == null ? "" : "; " + syncRedirects(redirects);
                return "onboarded " + rosterSync.poolReady(pool, clock.instant()).changes() + signIn;
            }

            @Override
            public String afterDeleted(PoolName pool) {
                return redirects == null ? "" : syncRedirects(redirects);
            }
        };
    }

    /** Its failure leaves the next pool's sync to mend the list; onboarding goes on regardless. */
    private static String syncRedirects(HubRedirects redirects) {
        try {
            return redirects.sync();
        } catch (RuntimeException e) {
            return "sign-in redirect URIs not updated: " + e.getMessage();
        }
    }

    public static App get() {
        App app = instance;
        if (app == null) {
            synchronized (App.class) {
                app = instance;
                if (app == null) {
                    Settings settings = Settings.fromEnvironment();
                    app = fromSettings(settings, Clock.offset(Clock.systemUTC(), settings.clockAhead()));
                    instance = app;
                }
            }
        }
        return app;
    }

    public static App fromSettings(Settings settings, Clock clock) {
        StartupChecks.warnings(settings).forEach(warning -> System.getLogger(App.class.getName())
                .log(System.Logger.Level.WARNING, warning));
        return wire(settings, clock, Adapters.fromSettings(settings, clock));
    }

    /** The whole graph over given adapters: tests swap the adapter they fake, everything else stays real. */
    public static App wire(Settings settings, Clock clock, Adapters adapters) {
        return new App(settings, clock, adapters);
    }


    /** The one clock every function reads the time from. */
    Clock clock() {
        return clock;
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
        return scaler.get();
    }

    /** The check of the VMs' tokens for {@code POST /api/usage}, when reports come over HTTPS. */
    Optional<EntraAccessTokens> usageSenders() {
        return usageSenders;
    }

    /** A pool's instances' identity: what its deployment recorded of its scale set. */
    ReportSenders reportSenders() {
        return pool -> pool.progress().resource(ResourceKey.SCALE_SET.value())
                .map(resource -> resource.outputs().get(Outputs.PRINCIPAL_ID));
    }

    /** Reports refused for a pool because another principal sent them. */
    Rejections rejectedReports(PoolName pool) {
        return reports.rejections(pool);
    }

    ScalingSnapshots snapshots() {
        return snapshots;
    }

    UsageIngestion usage() {
        return usage;
    }

    Wake wake() {
        return wake;
    }

    Onboarding onboarding() {
        return onboarding;
    }

    /** JupyterHub on the pools signs users in with Entra ID (else the image's PAM, which pool users cannot use). */
    boolean hubSignsInWithEntra() {
        return hubSignsInWithEntra;
    }

    RosterSync rosterSync() {
        return rosterSync;
    }

    RosterEventDispatch rosterEvents() {
        return rosterEvents;
    }

    FrontDoor frontDoor() {
        return frontDoor;
    }

    /** The front door's sign-in; empty when the installation has none. */
    /** What {@code dsvmpools connect} signs in with, when the installation has a front door. */
    Optional<DoorConnect> doorConnect() {
        return doorConnect;
    }

    /**
     * @param authority the tenant's authority, as the client's device-code sign-in needs it
     * @param clientId  the front door's app registration, a public client too, whose API the token is for
     * @param tokens    checks the client's tokens: a user's, with {@link #SCOPE}
     */
    record DoorConnect(String authority, String clientId, EntraAccessTokens tokens) {
        /** The one delegated scope the front door's app registration exposes for the client. */
        static final String SCOPE = "Pools.Connect";

        /** What the client asks Entra for: the scope, and a refresh token so it signs in once. */
        String scopes() {
            return "api://" + clientId + "/" + SCOPE + " offline_access";
        }
    }

    Optional<DoorSignIn> doorSignIn() {
        return doorSignIn;
    }

    Portal portal() {
        return portal;
    }

    /** Where browsers reach the app's routes ({@code DSVMPOOLS_DOOR_URL}), when there is a door. */
    Optional<String> doorUrl() {
        return doorUrl;
    }

    /** Browsers reach the door over HTTPS (everywhere but a local stack): its cookie is then Secure. */
    boolean doorIsHttps() {
        return doorUrl.map(url -> url.startsWith("https:")).orElse(true);
    }
}
