package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.dsvmpools.emulator.RequestLog;
import org.dsvmpools.kit.SamplePools;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.onboarding.RosterEventDispatch;
import org.dsvmpools.onboarding.RosterEvents;
import org.dsvmpools.onboarding.RosterSync;
import org.dsvmpools.onboarding.SubscriptionKeeper;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolIntake;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.scaling.UsageIngestion;
import org.junit.jupiter.api.Test;

/**
 * The fault campaign of #21, on the production adapters against Azurite and the emulator: 20 pools requested at
 * once while a fifth of ARM requests are throttled or fail, the worker process ({@link CampaignWorkerMain}) killed
 * with SIGKILL twice mid-deploy and started again (its in-flight messages come back after their visibility
 * timeout, as the host's would),
 * then 200 users onboarded across the pools from events of which a fifth are delivered twice, and a day of hourly
 * usage reports. Afterwards every pool is Ready with exactly its resources, every folder was made once, and no
 * message is left. The figures go to standard output and docs/measured.md.
 */
class FaultCampaignIT extends LocalCloudTest {
    private static final int POOLS = 20;
    private static final int USERS = 200;
    private static final Caller ALICE = new Caller("alice-id", "Alice", Set.of());

    /** The worker as a process of its own, which the campaign kills with SIGKILL. */
    private static Process workerProcess(String table, String queue) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CampaignWorkerMain.class.getName(), local.azurite.connectionString(), table, queue,
                local.emulator.armEndpoint(), local.dataDir().toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process;
    }

    @Test
    void twentyPoolsThrottlingTwoWorkerKillsAndRedeliveredEventsEndWithEverythingOnceAndNothingLeft() throws Exception {
        String table = "campaign" + Long.toHexString(System.nanoTime());
        TablePoolRepository repository = new TablePoolRepository(local.storage.table(table));
        QueueClient queue = local.storage.queue("campaign-requests");
        queue.createIfNotExists();
        queue.clearMessages();
        // One owner requests all twenty here: the installation's limits are set for it.
        PoolIntake intake = new PoolIntake(repository, new StorageQueueWorkQueue(queue), SystemClock.utc(),
                new org.dsvmpools.pool.Limits(POOLS, 10 * POOLS, Set.of()));
        local.emulator.configureFaults("{\"seed\":21,\"rules\":[{\"match\":\"/subscriptions/\",\"kind\":\"throttle\","
                + "\"fraction\":0.1},{\"match\":\"/subscriptions/\",\"kind\":\"unavailable\",\"fraction\":0.1}]}");
        local.emulator.requests().clear();
        List<PoolName> names = new ArrayList<>();
        for (int i = 0; i < POOLS; i++) {
            names.add(new PoolName(String.format("campaign-%02d", i)));
        }

        Instant started = SystemClock.now();
        ExecutorService callers = Executors.newFixedThreadPool(POOLS);
        List<Future<org.dsvmpools.pool.SubmitResult>> submitted = new ArrayList<>();
        for (PoolName name : names) {
            submitted.add(callers.submit(() -> intake.submit(PoolSpecJson.read(new ObjectMapper().readTree(
                    SamplePools.document(name.value()))).spec(), ALICE)));
        }
        for (Future<org.dsvmpools.pool.SubmitResult> submit : submitted) {
            assertThat(submit.get()).isInstanceOf(org.dsvmpools.pool.SubmitResult.Accepted.class);
        }
        callers.shutdown();
        Process worker = workerProcess(table, "campaign-requests");
        int kills = 0;
        for (int kill = 0; kill < 2; kill++) {
            int putsBefore = successfulPuts();
            while (successfulPuts() < putsBefore + 25 && !allReady(repository, names)) {
                Thread.sleep(100);
            }
            worker.destroyForcibly().waitFor();
            kills++;
            worker = workerProcess(table, "campaign-requests");
        }
        Instant deadline = SystemClock.now().plus(Duration.ofMinutes(5));
        while (!(allReady(repository, names) && queue.getProperties().getApproximateMessagesCount() == 0)
                && SystemClock.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        worker.destroyForcibly().waitFor();
        Duration toAllReady = Duration.between(started, SystemClock.now());
        local.emulator.configureFaults("{}");

        for (PoolName name : names) {
            Pool pool = repository.find(name).orElseThrow().pool();
            assertThat(pool.status()).as(name + ": " + pool.events()).isEqualTo(PoolStatus.Ready);
            assertThat(local.verify.resources().genericResources().listByResourceGroup(AzureNames.of(name).resourceGroup())
                    .stream().count()).as(name + "'s resources").isEqualTo(6);
        }
        Map<String, Integer> creations = new TreeMap<>();
        local.emulator.requests().entries().stream().filter(e -> e.method().equals("PUT") && e.status() == 201)
                .forEach(e -> creations.merge(e.path().replaceAll("\\?.*", "").toLowerCase(), 1, Integer::sum));
        assertThat(creations).as("every resource created once").allSatisfy((id, times) -> assertThat(times)
                .as(id).isEqualTo(1));
        assertThat(queue.getProperties().getApproximateMessagesCount()).isZero();
        List<RequestLog.Entry> arm = local.emulator.requests().entries();
        long faults = arm.stream().filter(e -> e.status() == 429 || e.status() == 503).count();
        long notes = names.stream().mapToLong(name -> repository.find(name).orElseThrow().pool().events().stream()
                .filter(event -> String.valueOf(event).contains("trying again")).count()).sum();

        // Users from events, a fifth of them delivered twice, onboarded in 16 threads.
        Onboarding onboarding = new Onboarding(repository, new TableRosterStore(local.storage.table(table + "roster")),
                new AzureFilesPoolShare(local.emulator.armEndpoint(), () -> local.arm, SystemClock.utc()), SystemClock.utc());
        RosterEventDispatch events = new RosterEventDispatch(onboarding, new RosterSync(repository,
                new TableRosterStore(local.storage.table(table + "roster")), null,
                new TableDeltaLinks(local.storage.table(table + "delta")), onboarding,
                new SubscriptionKeeper(null), RosterSync.Waiter.REAL));
        local.emulator.fileRequests().clear();
        ExecutorService delivery = Executors.newFixedThreadPool(16);
        List<Future<String>> handled = new ArrayList<>();
        int redelivered = 0;
        for (int i = 0; i < USERS; i++) {
            String event = "{\"id\":\"e" + i + "\",\"eventType\":\"DsvmPools.UserAdded\",\"subject\":\"s\","
                    + "\"eventTime\":\"2026-11-30T10:00:00Z\",\"dataVersion\":\"1\",\"data\":{\"pool\":\""
                    + names.get(i % POOLS).value() + "\",\"user\":{\"email\":\"member" + i + "@contoso.com\"}}}";
            int deliveries = i % 5 == 0 ? 2 : 1;
            redelivered += deliveries - 1;
            for (int d = 0; d < deliveries; d++) {
                handled.add(delivery.submit(() -> events.handle(RosterEvents.read(event, SystemClock.now()))));
            }
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> outcome : handled) {
            outcomes.add(outcome.get(5, TimeUnit.MINUTES));
        }
        delivery.shutdown();
        assertThat(outcomes).as("each event onboards its user; its second delivery changes nothing")
                .allMatch(o -> o.endsWith(" is Ready") || o.endsWith(" unchanged: already applied"));
        assertThat(local.emulator.fileRequests().entries()).filteredOn(e -> e.method().equals("PUT")
                && e.path().contains("notebooks?restype=directory") && e.status() == 201)
                .as("every user's folder made once").hasSize(USERS);
        for (PoolName name : names) {
            assertThat(onboarding.members(name).orElseThrow()).hasSize(USERS / POOLS).allSatisfy(member ->
                    assertThat(member.state()).isEqualTo(org.dsvmpools.onboarding.MemberState.Ready));
        }

        // A day of hourly reports from each pool's two instances.
        TableUsageReports reports = new TableUsageReports(local.storage.table(table + "usage"));
        UsageIngestion ingestion = new UsageIngestion(repository, reports, SystemClock.utc());
        Instant dayStart = SystemClock.now().minus(Duration.ofDays(1));
        int stored = 0;
        for (int hour = 0; hour < 24; hour++) {
            Instant at = dayStart.plus(Duration.ofHours(hour));
            for (PoolName name : names) {
                for (String instance : List.of("0", "1")) {
                    String report = "{\"v\":1,\"pool\":\"" + name.value() + "\",\"instanceId\":\"" + instance
                            + "\",\"reportedAt\":\"" + at + "\",\"cpuPercent\":" + (hour % 10 * 7) + ",\"sessions\":"
                            + (hour >= 8 && hour < 18 ? "[{\"user\":\"user" + hour + "\",\"lastActivity\":\"" + at
                            + "\"}]" : "[]") + ",\"kernels\":[]}";
                    if (ingestion.ingest(report) instanceof UsageIngestion.Outcome.Stored) {
                        stored++;
                    }
                }
            }
        }
        assertThat(stored).isEqualTo(24 * POOLS * 2);
        for (PoolName name : names) {
            assertThat(reports.latest(name)).hasSize(2);
        }

        System.out.printf("fault campaign: %d pools Ready in %d s; %d ARM requests (%.1f per pool), %d answered 429"
                        + " or 503, %d retries noted on pools; the worker process killed %d times (SIGKILL); %d users"
                        + " onboarded from %d events (%d redelivered), %d folders made; %d usage reports stored%n",
                POOLS, toAllReady.toSeconds(), arm.size(), arm.size() / (double) POOLS, faults, notes, kills, USERS,
                USERS + redelivered, redelivered, USERS, stored);
    }

    private int successfulPuts() {
        return (int) local.emulator.requests().entries().stream()
                .filter(e -> e.method().equals("PUT") && e.status() < 300).count();
    }

    private static boolean allReady(TablePoolRepository repository, List<PoolName> names) {
        return names.stream().allMatch(name -> repository.find(name).map(p -> p.pool().status() == PoolStatus.Ready)
                .orElse(false));
    }
}
