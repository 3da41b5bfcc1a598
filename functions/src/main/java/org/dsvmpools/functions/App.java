package org.dsvmpools.functions;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.dsvmpools.azure.StorageClients;
import org.dsvmpools.azure.StorageQueueWorkQueue;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.pool.IntakePolicy;
import org.dsvmpools.pool.PoolIntake;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolSpecRules;
import org.dsvmpools.pool.StuckPoolRecovery;
import org.dsvmpools.pool.WorkQueue;

/**
 * The composition root: builds the object graph once per process. The Functions worker asks for a new function
 * instance on every invocation, so the function classes take their services from here instead of building them.
 * Nothing here touches the network or the ARM SDK: the first request pays only for Storage clients.
 */
public final class App {
    private static final int DEFAULT_STUCK_AFTER_MINUTES = 10;
    private static volatile App instance;

    private final PoolSpecRules rules;
    private final PoolIntake intake;
    private final StuckPoolRecovery recovery;
    private final ClientPrincipals principals;

    App(PoolSpecRules rules, PoolIntake intake, StuckPoolRecovery recovery, ClientPrincipals principals) {
        this.rules = rules;
        this.intake = intake;
        this.recovery = recovery;
        this.principals = principals;
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
        return wire(settings, clock, repository, queue);
    }

    /** The graph over given adapters: tests and benchmarks swap an adapter, everything else stays real. */
    public static App wire(Settings settings, Clock clock, PoolRepository repository, WorkQueue queue) {
        Duration stuckAfter = Duration.ofMinutes(
                settings.integer(Settings.STUCK_AFTER_MINUTES, DEFAULT_STUCK_AFTER_MINUTES));
        boolean platformAuth = settings.optional(Settings.PLATFORM_AUTH_ENABLED)
                .map(Boolean::parseBoolean).orElse(false);
        return new App(
                new PoolSpecRules(intakePolicy(settings)),
                new PoolIntake(repository, queue, clock),
                new StuckPoolRecovery(repository, queue, clock, stuckAfter),
                new ClientPrincipals(platformAuth));
    }

    private static IntakePolicy intakePolicy(Settings settings) {
        return settings.optional(Settings.ALLOWED_VM_SIZES)
                .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .collect(Collectors.toSet()))
                .map(IntakePolicy::new)
                .orElseGet(IntakePolicy::defaults);
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
}
