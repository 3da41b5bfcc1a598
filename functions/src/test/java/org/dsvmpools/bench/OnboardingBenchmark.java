package org.dsvmpools.bench;

import com.azure.storage.file.share.ShareClient;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dsvmpools.azure.AzureFilesPoolShare;
import org.dsvmpools.azure.DeployedPools;
import org.dsvmpools.azure.LocalCloud;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.azure.TableRosterStore;
import org.dsvmpools.emulator.RequestLog;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.onboarding.NewUser;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.onboarding.PoolShare;
import org.dsvmpools.onboarding.RosterStore;
import org.dsvmpools.onboarding.UserFolders;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolRepository;

/**
 * 1,000 users onboarded into one pool with the production use case and adapters (roster in Azurite's tables,
 * folders and manifest on the emulator's Azure Files through the SDK), side by side with the floor: the same
 * directory creations made directly with the Files SDK, at the same concurrency, in alternating rounds, each into a
 * pool of its own. Warm-up rounds come first and are not counted: on two cores the JIT compiler takes a third of the
 * CPU for the first dozen seconds, more of it for the path with more code. Reports users per second, the Files and
 * ARM requests per user, and this JVM's CPU per user (the emulator runs in it; Azurite does not). Run with
 * {@code mvn -Pbench verify}.
 */
public final class OnboardingBenchmark {
    private static final int USERS = Integer.getInteger("bench.users", 1000);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 2);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** Closed-loop callers: 16 as the goal's measure; 64 as a burst of Event Grid deliveries would run. */
    private static final List<Integer> CONCURRENCY = Arrays.stream(System.getProperty("bench.threads", "16,64")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private OnboardingBenchmark() {
    }

    /** Users per second and CPU milliseconds per user of one timed run. */
    private record Run(double usersPerSecond, double cpuPerUser) {
    }

    public static void main(String[] args) throws Exception {
        try (LocalCloud local = LocalCloud.start()) {
            System.out.printf(Locale.ROOT, "%d users per round; %d warm-up and %d counted rounds per concurrency%n%n",
                    USERS, WARMUP, ROUNDS);
            System.out.println("| callers | round | floor: SDK mkdir (users/s) | dsvm-pools onboarding (users/s) | ratio |"
                    + " Files requests per user | ARM requests per user | CPU per user, floor / ours (ms) |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            int pools = 0;
            Map<Integer, Double> medians = new TreeMap<>();
            for (int threads : CONCURRENCY) {
                List<Double> ratios = new ArrayList<>();
                for (int round = 1 - WARMUP; round <= ROUNDS; round++) {
                    pools++;
                    TablePoolRepository repository = new TablePoolRepository(local.storage.table("benchpools" + pools));
                    PoolName pool = DeployedPools.deploy(local, repository, "bench-users-" + pools);
                    ShareClient share = local.share(pool);
                    share.getDirectoryClient("floor").create();
                    Run floor = timed(threads, i -> {
                        String name = "u" + i;
                        share.getDirectoryClient("floor/" + name).createIfNotExists();
                        share.getDirectoryClient("floor/" + name + "/notebooks").createIfNotExists();
                    });
                    StepTimes steps = new StepTimes();
                    Onboarding onboarding = new Onboarding(steps.timed(PoolRepository.class, repository),
                            steps.timed(RosterStore.class, new TableRosterStore(
                                    local.storage.table("benchroster" + pools))),
                            steps.timed(PoolShare.class, new AzureFilesPoolShare(local.emulator.armEndpoint(),
                                    () -> local.arm, SystemClock.utc())), SystemClock.utc());
                    // The adapter's first use reads the account from ARM; that is once per share, not per user.
                    onboarding.add(pool, user(-1), SystemClock.now());
                    local.emulator.fileRequests().clear();
                    local.emulator.requests().clear();
                    steps.clear();
                    Run ours = timed(threads, i -> onboarding.add(pool, user(i), SystemClock.now()));
                    List<RequestLog.Entry> files = local.emulator.fileRequests().entries();
                    double ratio = ours.usersPerSecond() / floor.usersPerSecond();
                    if (round > 0) {
                        ratios.add(ratio);
                    }
                    System.out.printf(Locale.ROOT, "| %d | %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f / %.2f |%n",
                            threads, round > 0 ? String.valueOf(round) : "warm-up", floor.usersPerSecond(),
                            ours.usersPerSecond(), ratio, files.size() / (double) USERS,
                            local.emulator.requests().entries().size() / (double) USERS, floor.cpuPerUser(),
                            ours.cpuPerUser());
                    if (round == ROUNDS) {
                        System.out.printf(Locale.ROOT, "%n%d callers, last round: wall time per user in each port call"
                                + " (summed over callers, waits included): %s%n", threads, steps.perCall(USERS));
                        System.out.println("Files requests by kind: " + kinds(files));
                        System.out.println();
                    }
                }
                medians.put(threads, ratios.stream().sorted().toList().get(ratios.size() / 2));
            }
            medians.forEach((threads, median) -> System.out.printf(Locale.ROOT,
                    "median ratio with %d callers: %.2f (goal at least 0.7)%n", threads, median));
        }
    }

    private static NewUser user(int i) {
        String name = i < 0 ? "warmup" : String.format("user%04d", i);
        return new NewUser(new LinuxUserName(name), name + "@example.org", name, List.of(), null);
    }

    private interface Step {
        void run(int i) throws Exception;
    }

    /** {@link #USERS} steps on {@code threads} threads. */
    private static Run timed(int threads, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long cpu = OS.getProcessCpuTime();
        long start = System.nanoTime();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                int n = i;
                all.add(pool.submit(() -> {
                    step.run(n);
                    return null;
                }));
            }
            for (Future<?> future : all) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(USERS / seconds, (OS.getProcessCpuTime() - cpu) / 1e6 / USERS);
    }

    private static String kinds(List<RequestLog.Entry> files) {
        Map<String, Integer> counts = new TreeMap<>();
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
