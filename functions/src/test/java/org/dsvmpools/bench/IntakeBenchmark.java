package org.dsvmpools.bench;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.storage.queue.QueueClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.dsvmpools.azure.StorageClients;
import org.dsvmpools.functions.BenchAccess;
import org.dsvmpools.functions.Settings;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.testing.Azurite;
import org.dsvmpools.testing.PoolDocumentsFixture;

/**
 * Accepted pool requests per second through the real function class and Storage adapters against Azurite, side
 * by side with the raw floor: the same number of Table inserts plus Queue puts made directly with the SDK.
 * Rounds alternate floor and app so that drift on a shared machine hits both alike; the median round is
 * reported. Run with {@code mvn -Pbench verify} (after a build); not a test, numbers are not asserted.
 */
public final class IntakeBenchmark {
    private static final int WARMUP = 200;
    private static final int REQUESTS = Integer.getInteger("bench.requests", 400);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final AtomicInteger TABLES = new AtomicInteger();

    private IntakeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        AzuriteProcess azurite = Azurite.startPrivate();
        try {
            StorageClients storage = new StorageClients(azurite.connectionString());
            System.out.println("| callers | floor (req/s) | dsvm-pools (req/s) | ratio |");
            System.out.println("| --- | --- | --- | --- |");
            for (int callers : new int[] {1, 8}) {
                run(storage, azurite, callers);
            }
        } finally {
            azurite.stop();
        }
        System.exit(0);
    }

    private static void run(StorageClients storage, AzuriteProcess azurite, int callers) throws Exception {
        List<Double> floor = new ArrayList<>();
        List<Double> app = new ArrayList<>();
        measure(floorRequests(storage), WARMUP, callers);
        measure(appRequests(azurite), WARMUP, callers);
        for (int round = 0; round < ROUNDS; round++) {
            floor.add(measure(floorRequests(storage), REQUESTS, callers));
            app.add(measure(appRequests(azurite), REQUESTS, callers));
        }
        double floorMedian = median(floor);
        double appMedian = median(app);
        System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.2f |%n", callers, floorMedian, appMedian,
                appMedian / floorMedian);
        System.out.printf(Locale.ROOT, "  rounds: floor %s, app %s%n", rounded(floor), rounded(app));
    }

    /** One request of the floor: a table insert of an entity as large as a pool record, and a queue put. */
    private static IntConsumer floorRequests(StorageClients storage) {
        String table = "floor" + TABLES.incrementAndGet();
        TableClient records = storage.table(table);
        records.createTable();
        QueueClient queue = storage.queue("floor-requests");
        queue.createIfNotExists();
        String spec = PoolDocumentsFixture.document("bench-pool").toString();
        return i -> {
            records.createEntity(new TableEntity("pool", name(i))
                    .addProperty("Status", "Accepted").addProperty("Generation", 1L)
                    .addProperty("Spec0", spec).addProperty("Events0", "[{\"status\":\"Accepted\"}]"));
            queue.sendMessage("{\"v\":1,\"kind\":\"provision\",\"pool\":\"" + name(i) + "\",\"generation\":1}");
        };
    }

    /** One request through CreatePoolFunction: parse, validate, store, queue, render. */
    private static IntConsumer appRequests(AzuriteProcess azurite) {
        String table = "app" + TABLES.incrementAndGet();
        BenchAccess function = BenchAccess.createPool(new Settings(Map.of(
                Settings.STORAGE_CONNECTION, azurite.connectionString(),
                Settings.POOL_TABLE, table)), SystemClock.utc());
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < Math.max(WARMUP, REQUESTS); i++) {
            bodies.add(PoolDocumentsFixture.document(name(i)).toString());
        }
        return i -> {
            int status = function.post(bodies.get(i));
            if (status != 202) {
                throw new IllegalStateException("request " + i + " answered " + status);
            }
        };
    }

    private static String name(int i) {
        return String.format(Locale.ROOT, "bench-%06d", i);
    }

    /** Requests per second for {@code count} requests spread over {@code callers} threads. */
    private static double measure(IntConsumer request, int count, int callers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    request.accept(i);
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return count / seconds;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }
}
