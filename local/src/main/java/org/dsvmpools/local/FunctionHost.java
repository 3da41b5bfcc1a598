package org.dsvmpools.local;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dsvmpools.kit.TlsCertificate;

/**
 * A Functions-compatible host for one process: discovers the functions, serves HTTP triggers, runs timers and
 * queue listeners. Like the Java worker, it sees app settings as its environment; {@link DevStack} starts it
 * with local.settings.json merged in. Arguments: {@code --port N --root DIR [--scan PACKAGE] [--https-port N --tls-dir DIR]}.
 */
public final class FunctionHost {
    public static final String FUNCTION_KEY_VARIABLE = "DSVMPOOLS_FUNCTION_KEY";
    /** The local Event Grid topic's access key (base64, as Azure's topic keys are). */
    public static final String TOPIC_KEY_VARIABLE = "DSVMPOOLS_EVENTGRID_KEY";
    public static final String DEFAULT_SCAN = "org.dsvmpools.functions";

    private FunctionHost() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = DevStack.options(args);
        Path root = Paths.get(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        int port = Integer.parseInt(options.getOrDefault("port", "7071"));
        AppSettings settings = new AppSettings(System.getenv());
        String key = settings.values().get(FUNCTION_KEY_VARIABLE);
        if (key == null || key.isBlank()) {
            fail("the function key is not set (" + FUNCTION_KEY_VARIABLE + ")");
        }
        List<FunctionDefinition> functions;
        try {
            functions = new FunctionDiscovery(settings).discover(options.getOrDefault("scan", DEFAULT_SCAN));
        } catch (IllegalStateException e) {
            fail(e.getMessage());
            return;
        }
        // The host's one clock: the timers' schedules and the topic's token expiries.
        Clock clock = org.dsvmpools.kit.SystemClock.utc();
        HostJson hostJson = HostJson.read(root.resolve("host.json"));
        QueueClients queueClients = new QueueClients(hostJson.queues().base64());
        Invoker invoker = new Invoker(queueClients);
        EventGridWebhook webhook = new EventGridWebhook(functions, key, invoker);
        String topicKey = Optional.ofNullable(settings.values().get(TOPIC_KEY_VARIABLE)).orElseGet(DevStack::newKey);
        LocalEventGridTopic topic = new LocalEventGridTopic(topicKey, key, webhook.functionNames(), clock);
        HostServer server = new HostServer()
                .handle("/", new HttpTriggerServer(functions, hostJson.routePrefix(), key, invoker,
                        StackReadiness.of(settings.values(), "AzureWebJobsStorage", "DSVMPOOLS_ARM_ENDPOINT")))
                .handle(EventGridWebhook.PATH, webhook)
                .handle(LocalEventGridTopic.PATH, topic);
        TimerScheduler timers = new TimerScheduler(invoker, clock);
        QueueListener queues = new QueueListener(hostJson.queues(), invoker, queueClients);
        try {
            timers.start(functions);
            queues.start(functions);
        } catch (IllegalStateException e) {
            fail(e.getMessage());
        }
        int bound = server.startHttp(port);
        topic.deliverTo(bound);
        if (options.containsKey("https-port")) {
            // TLS set-up costs a few hundred milliseconds; it must not delay the first plain-http request.
            Path tlsDir = Paths.get(options.getOrDefault("tls-dir", root.resolve(".dsvmpools").toString()));
            int httpsPort = Integer.parseInt(options.get("https-port"));
            Thread https = new Thread(() -> startHttps(server, httpsPort, tlsDir), "https-start");
            https.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            topic.stop();
            timers.stop();
            queues.stop();
        }));
        for (FunctionDefinition function : functions) {
            System.out.println("  " + function.name() + ": " + describe(function, hostJson.routePrefix(), bound));
        }
        System.out.println("Host started on http://127.0.0.1:" + bound);
    }

    private static void startHttps(HostServer server, int port, Path tlsDir) {
        try {
            int bound = server.startHttps(port, TlsCertificate.loadOrCreate(tlsDir).serverContext());
            System.out.println("HTTPS on https://127.0.0.1:" + bound + " (certificate "
                    + tlsDir.resolve(TlsCertificate.KEYSTORE) + ")");
        } catch (Exception e) {
            System.err.println("local host: HTTPS not started: " + e);
        }
    }

    private static String describe(FunctionDefinition function, String routePrefix, int port) {
        if (function.trigger() instanceof FunctionDefinition.HttpTriggerDef http) {
            return String.join(",", http.methods()) + " http://127.0.0.1:" + port + "/" + routePrefix + "/"
                    + (http.route().isEmpty() ? function.name() : http.route());
        }
        if (function.trigger() instanceof FunctionDefinition.TimerTriggerDef timer) {
            return "timer " + timer.schedule();
        }
        if (function.trigger() instanceof FunctionDefinition.EventGridTriggerDef) {
            return "Event Grid http://127.0.0.1:" + port + EventGridWebhook.PATH + "?functionName=" + function.name();
        }
        return "queue " + ((FunctionDefinition.QueueTriggerDef) function.trigger()).queueName();
    }

    private static void fail(String message) {
        System.err.println("local host: cannot start: " + message);
        System.exit(2);
    }
}
