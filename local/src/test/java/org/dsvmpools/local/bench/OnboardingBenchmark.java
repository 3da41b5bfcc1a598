package org.dsvmpools.local.bench;

import com.azure.storage.file.share.ShareClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dsvmpools.azure.AzureFilesPoolShare;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.azure.TableRosterStore;
import org.dsvmpools.local.emulator.DeployedPools;
import org.dsvmpools.local.emulator.LocalCloud;
import org.dsvmpools.local.emulator.RequestLog;
import org.dsvmpools.onboarding.NewUser;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.onboarding.UserFolders;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;

/**
 * 1,000 users onboarded into one pool with the production use case and adapters (roster in Azurite's tables,
 * folders and manifest on the emulator's Azure Files through the SDK), side by side with the floor: the same
 * directory creations made directly with the Files SDK, at the same concurrency, in alternating rounds. Reports
 * users per second and the Files and ARM requests per user. Run with {@code mvn -Pbench verify}.
 */
public final class OnboardingBenchmark {
    private static final int USERS = Integer.getInteger("bench.users", 1000);
    private static final int THREADS = Integer.getInteger("bench.threads", 16);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    private OnboardingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        try (LocalCloud local = LocalCloud.start()) {
            System.out.printf(Locale.ROOT, "%d users per round, %d threads, %d alternating rounds%n%n", USERS, THREADS,
                    ROUNDS);
            System.out.println("| round | floor: SDK mkdir (users/s) | dsvm-pools onboarding (users/s) | ratio |"
                    + " Files requests per user | ARM requests per user |");
            System.out.println("|---|---|---|---|---|---|");
            List<Double> ratios = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                TablePoolRepository repository = new TablePoolRepository(local.storage.table("benchpools" + round));
                PoolName pool = DeployedPools.deploy(local, repository, "bench-users-" + round);
                ShareClient share = local.share(pool);
                share.getDirectoryClient("floor").create();
                double floor = timed(i -> {
                    String name = "u" + i;
                    share.getDirectoryClient("floor/" + name).createIfNotExists();
                    share.getDirectoryClient("floor/" + name + "/notebooks").createIfNotExists();
                });
                Onboarding onboarding = new Onboarding(repository, new TableRosterStore(
                        local.storage.table("benchroster" + round)), new AzureFilesPoolShare(
                        local.emulator.armEndpoint(), () -> local.arm));
                // The adapter's first use reads the account from ARM; that is once per share, not per user.
                onboarding.add(pool, user(-1), Instant.now());
                local.emulator.fileRequests().clear();
                local.emulator.requests().clear();
                double ours = timed(i -> onboarding.add(pool, user(i), Instant.now()));
                List<RequestLog.Entry> files = local.emulator.fileRequests().entries();
                double ratio = ours / floor;
                ratios.add(ratio);
                System.out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.2f | %.2f |%n", round, floor, ours, ratio,
                        files.size() / (double) USERS, local.emulator.requests().entries().size() / (double) USERS);
                if (round == ROUNDS) {
                    System.out.println();
                    System.out.println("Files requests of the last round by kind: " + kinds(files));
                }
            }
            System.out.printf(Locale.ROOT, "%nmedian ratio %.2f (goal at least 0.7)%n",
                    ratios.stream().sorted().toList().get(ratios.size() / 2));
        }
    }

    private static NewUser user(int i) {
        String name = i < 0 ? "warmup" : String.format("user%04d", i);
        return new NewUser(new LinuxUserName(name), name + "@example.org", name, List.of(), null);
    }

    private interface Step {
        void run(int i) throws Exception;
    }

    /** Users per second for {@link #USERS} steps on {@link #THREADS} threads. */
    private static double timed(Step step) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                int n = i;
                all.add(threads.submit(() -> {
                    step.run(n);
                    return null;
                }));
            }
            for (Future<?> future : all) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }
        return USERS / ((System.nanoTime() - start) / 1e9);
    }

    private static String kinds(List<RequestLog.Entry> files) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (RequestLog.Entry entry : files) {
            String path = entry.path();
            String kind = entry.method() + " " + (path.contains("comp=lease") ? "lease"
                    : path.contains("restype=directory") ? (path.contains(UserFolders.USERS) ? "directory" : "other directory")
                    : path.contains("comp=range") ? "range" : path.contains(".pool") ? "manifest" : "file");
            counts.merge(kind, 1, Integer::sum);
        }
        return counts.toString();
    }
}
