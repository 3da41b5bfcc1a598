package org.dsvmpools.bench;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import org.dsvmpools.azure.ArmClients;
import org.dsvmpools.azure.ArmCloudResources;
import org.dsvmpools.azure.StorageClients;
import org.dsvmpools.azure.StorageQueueWorkQueue;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.testing.Azurite;
import org.dsvmpools.kit.SamplePools;
import org.dsvmpools.kit.TlsCertificate;
import org.dsvmpools.azure.WorkerDriver;
import org.dsvmpools.emulator.AzureEmulator;
import org.dsvmpools.emulator.RequestLog;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolIntake;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.provisioning.Blueprint;
import org.dsvmpools.provisioning.BlueprintSettings;
import org.dsvmpools.provisioning.PoolBlueprint;
import org.dsvmpools.provisioning.ResourceKey;
import org.dsvmpools.provisioning.ProvisioningWorker;
import org.dsvmpools.provisioning.WorkerPolicy;

/**
 * A fresh deploy's wall time against the emulator's time model, side by side with the baseline: the longest
 * dependency chain, i.e. the sum along the blueprint's critical path of how long the emulated Azure took for
 * each resource (read from its request log), and, for scale, the sum over all resources (a deploy that did one
 * resource at a time). Also counts the ARM requests of each deploy by method and resource type. The worker runs
 * with its production policy; follow-up messages go through Azurite's queue. Run with {@code mvn -Pbench verify}.
 */
public final class ProvisioningBenchmark {
    private static final double TIME_SCALE = Double.parseDouble(System.getProperty("bench.timeScale", "0.1"));
    private static final int DEPLOYS = Integer.getInteger("bench.deploys", 3);
    private static final String SUBSCRIPTION = "00000000-0000-0000-0000-00000000e1e1";

    private ProvisioningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("provisioning-bench");
        TlsCertificate tls = TlsCertificate.loadOrCreate(dataDir);
        SSLContext trust = tls.clientContext();
        AzuriteProcess azurite = AzuriteProcess.startOnFreePorts(Azurite.repositoryRoot());
        try (AzureEmulator emulator = AzureEmulator.start(0, 0, TIME_SCALE, dataDir, tls.serverContext())) {
            StorageClients storage = new StorageClients(azurite.connectionString());
            ArmCloudResources cloud = new ArmCloudResources(new ArmClients(emulator.armEndpoint(), null, SUBSCRIPTION,
                    new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(trust)).build()));
            BlueprintSettings settings = new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, SUBSCRIPTION, null,
                    emulator.armEndpoint());
            System.out.printf(Locale.ROOT, "Fresh deploys against the emulator at time scale %.2f (Azure's durations"
                    + " x %.2f), production worker policy%n%n", TIME_SCALE, TIME_SCALE);
            System.out.println("| deploy | wall (s) | longest chain (s) | all resources in series (s) | wall / chain"
                    + " | most operations in flight at once | ARM requests |");
            System.out.println("|---|---|---|---|---|---|---|");
            List<Double> ratios = new ArrayList<>();
            Map<String, Integer> lastCounts = Map.of();
            for (int deploy = 1; deploy <= DEPLOYS; deploy++) {
                String name = "bench-" + deploy;
                var repository = new TablePoolRepository(storage.table("benchpools" + deploy));
                var queue = storage.queue("bench-requests-" + deploy);
                queue.createIfNotExists();
                PoolIntake intake = new PoolIntake(repository, new StorageQueueWorkQueue(queue), SystemClock.utc());
                ProvisioningWorker worker = new ProvisioningWorker(repository, new StorageQueueWorkQueue(queue), cloud,
                        settings, WorkerPolicy.defaults(), Duration.ofSeconds(1), SystemClock.utc(),
                        duration -> Thread.sleep(duration.toMillis()));
                PoolSpec spec = PoolSpecJson.read(new ObjectMapper().readTree(SamplePools.document(name))).spec();
                emulator.requests().clear();
                long start = System.nanoTime();
                intake.submit(spec, new Caller("bench", "bench", java.util.Set.of()));
                Pool pool = new WorkerDriver(queue, repository).drive(name, worker, Duration.ofMinutes(10));
                double wall = (System.nanoTime() - start) / 1e9;
                if (pool.status() != PoolStatus.Ready) {
                    throw new IllegalStateException("deploy " + name + " ended " + pool.status() + ": " + pool.events());
                }
                List<RequestLog.Entry> requests = emulator.requests().entries();
                Map<String, Double> busy = busySeconds(requests);
                PoolBlueprint blueprint = Blueprint.of(spec, settings);
                double chain = longestChain(blueprint, busy);
                double series = blueprint.resources().stream().mapToDouble(r -> busy.getOrDefault(r.name(), 0.0)).sum();
                ratios.add(wall / chain);
                lastCounts = counts(requests);
                System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.3f | %d | %d |%n", deploy, wall, chain,
                        series, wall / chain, mostInFlight(requests), requests.size());
            }
            Collections.sort(ratios);
            System.out.printf(Locale.ROOT, "%nmedian wall / longest chain: %.3f (target <= 1.15)%n",
                    ratios.get(ratios.size() / 2));
            System.out.println("\nARM requests of the last deploy, by method and resource type:\n");
            System.out.println("| request | count |");
            System.out.println("|---|---|");
            lastCounts.forEach((request, count) -> System.out.println("| " + request + " | " + count + " |"));
        } finally {
            azurite.stop();
        }
    }

    /** How long the emulated Azure took for each resource, by name, from the first PUT that began its operation. */
    private static Map<String, Double> busySeconds(List<RequestLog.Entry> requests) {
        Map<String, Double> busy = new HashMap<>();
        for (RequestLog.Entry entry : requests) {
            if (entry.method().equals("PUT") && entry.status() < 300) {
                String name = entry.path().substring(entry.path().lastIndexOf('/') + 1);
                busy.putIfAbsent(name, entry.busy().toNanos() / 1e9);
            }
        }
        return busy;
    }

    /** The most ARM operations running at the same moment: above 1 only if independent resources overlapped. */
    private static int mostInFlight(List<RequestLog.Entry> requests) {
        List<long[]> edges = new ArrayList<>();
        for (RequestLog.Entry entry : requests) {
            if (entry.method().equals("PUT") && !entry.busy().isZero()) {
                long start = entry.at().toEpochMilli();
                edges.add(new long[] {start, 1});
                edges.add(new long[] {start + entry.busy().toMillis(), -1});
            }
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int most = 0;
        for (long[] edge : edges) {
            running += (int) edge[1];
            most = Math.max(most, running);
        }
        return most;
    }

    /** The critical path: each resource finishes at the latest finish among what it depends on plus its own time. */
    private static double longestChain(PoolBlueprint blueprint, Map<String, Double> busy) {
        Map<ResourceKey, Double> finish = new LinkedHashMap<>();
        for (List<ResourceKey> wave : blueprint.waves()) {
            for (ResourceKey key : wave) {
                double ready = blueprint.dependsOn().getOrDefault(key, List.of()).stream()
                        .mapToDouble(finish::get).max().orElse(0);
                finish.put(key, ready + busy.getOrDefault(blueprint.resource(key).name(), 0.0));
            }
        }
        return finish.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static Map<String, Integer> counts(List<RequestLog.Entry> requests) {
        Map<String, Integer> counts = new TreeMap<>();
        for (RequestLog.Entry entry : requests) {
            String[] parts = entry.path().replaceFirst("^/+", "").split("/");
            String type = parts.length % 2 == 0 ? parts[parts.length - 2] : parts[parts.length - 1];
            counts.merge(entry.method() + " " + type + " (" + entry.status() + ")", 1, Integer::sum);
        }
        return counts;
    }
}
