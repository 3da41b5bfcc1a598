package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.resourcemanager.compute.fluent.models.VirtualMachineScaleSetVMInner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.dsvmpools.azure.ArmPoolInstances;
import org.dsvmpools.azure.TableDemandHistories;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.azure.TableScalerLeases;
import org.dsvmpools.azure.TableScalingSnapshots;
import org.dsvmpools.azure.TableUsageReports;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.scaling.DemandHistory;
import org.dsvmpools.scaling.Instance;
import org.dsvmpools.scaling.PoolInstances;
import org.dsvmpools.scaling.ScalingSnapshot;
import org.dsvmpools.scaling.ScaleSetRef;
import org.dsvmpools.scaling.Scaler;
import org.dsvmpools.scaling.ScalingAction;
import org.dsvmpools.scaling.UsageReport;
import org.junit.jupiter.api.Test;

/**
 * The scaler with its production adapters: instances listed and changed through the compute SDK against the
 * emulator, reports and leases in Azurite's tables. The scaler's clock is set to a Saturday night a week ahead,
 * so that the pool deployed a moment ago has been idle for days by then.
 */
class ScalerIT extends LocalCloudTest {
    private static final Instant SATURDAY_NIGHT = SystemClock.now().plus(Duration.ofDays(7))
            .atZone(ZoneOffset.UTC).with(java.time.DayOfWeek.SATURDAY).withHour(2).toInstant();
    private static int pools;

    private TablePoolRepository repository;
    private TableUsageReports reports;
    private TableScalerLeases leases;
    private TableScalingSnapshots snapshots;
    private TableDemandHistories histories;

    /** A Ready pool of two running instances, deployed by the worker. */
    private PoolName readyPool() throws Exception {
        int n = tables("scalerpools");
        return DeployedPools.deploy(local, repository, "scaled-" + n);
    }

    /** Tables of their own for the next test's pools: the n it used. */
    private int tables(String poolTable) {
        int n = ++pools;
        repository = new TablePoolRepository(local.storage.table(poolTable + n));
        reports = new TableUsageReports(local.storage.table("usage" + n));
        leases = new TableScalerLeases(local.storage.table("leases" + n));
        snapshots = new TableScalingSnapshots(local.storage.table("scaling" + n));
        histories = new TableDemandHistories(local.storage.table("demand" + n));
        return n;
    }

    private Scaler scaler(PoolInstances instances) {
        return scaler(instances, SATURDAY_NIGHT);
    }

    private Scaler scaler(PoolInstances instances, Instant at) {
        return new Scaler(repository, instances, reports, leases, snapshots, histories,
                Clock.fixed(at, ZoneOffset.UTC));
    }

    private static Map<String, String> powerStates(PoolName pool) {
        AzureNames names = AzureNames.of(pool);
        Map<String, String> states = new java.util.TreeMap<>();
        for (VirtualMachineScaleSetVMInner vm : local.verify.compute().serviceClient().getVirtualMachineScaleSetVMs()
                .list(names.resourceGroup(), names.scaleSet(), null, null, "instanceView",
                        com.azure.core.util.Context.NONE)) {
            String power = vm.instanceView().statuses().stream().map(s -> s.code())
                    .filter(code -> code.startsWith("PowerState/")).findFirst().orElse("none");
            states.put(vm.instanceId(), power.replace("PowerState/", "")
                    + (Boolean.TRUE.equals(vm.protectionPolicy().protectFromScaleIn()) ? "+protected" : ""));
        }
        return states;
    }

    /**
     * One pool that cannot be read stops no other (#26): a throttled list is tried once, not slept through, and the
     * pool is left until its Retry-After; a scale set deleted outside the app is recorded on its pool; the order
     * turns each minute, so no pool is always last.
     */
    @Test
    void aPoolThatCannotBeReadIsRecordedOnItselfAndTheOthersAreStillScaled() throws Exception {
        int n = tables("isolatedpools");
        PoolName fine = DeployedPools.deploy(local, repository, "iso-fine-" + n);
        PoolName throttled = DeployedPools.deploy(local, repository, "iso-throttled-" + n);
        PoolName gone = DeployedPools.deploy(local, repository, "iso-gone-" + n);
        AzureNames goneNames = AzureNames.of(gone);
        local.verify.compute().serviceClient().getVirtualMachineScaleSets().delete(goneNames.resourceGroup(),
                goneNames.scaleSet(), null, com.azure.core.util.Context.NONE);
        String throttledList = "/virtualmachinescalesets/" + AzureNames.of(throttled).scaleSet().toLowerCase()
                + "/virtualmachines";
        local.emulator.configureFaults("{\"rules\":[{\"method\":\"GET\",\"match\":\"" + throttledList
                + "\",\"kind\":\"throttle\",\"retryAfterSeconds\":60}]}");
        ArmClients tickClients = new ArmClients(local.emulator.armEndpoint(), null, EmulatorClients.SUBSCRIPTION,
                new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder()
                        .sslContext(local.trust())).build(), ArmClients.tickRetries());
        org.dsvmpools.testing.MutableClock clock = new org.dsvmpools.testing.MutableClock(SATURDAY_NIGHT);
        Scaler scaler = new Scaler(repository, new ArmPoolInstances(tickClients), reports, leases, snapshots,
                histories, clock);
        try {
            local.emulator.requests().clear();
            List<Scaler.Outcome> first = scaler.tick();

            assertThat(first).hasSize(3);
            assertThat(first).filteredOn(o -> o.pool().equals(fine)).singleElement()
                    .isInstanceOf(Scaler.Outcome.Evaluated.class);
            assertThat(first).filteredOn(o -> o.pool().equals(throttled)).singleElement()
                    .isInstanceOfSatisfying(Scaler.Outcome.Failed.class, failed -> assertThat(failed.failure().retryAt())
                            .isEqualTo(SATURDAY_NIGHT.plusSeconds(60)));
            assertThat(first).filteredOn(o -> o.pool().equals(gone)).singleElement()
                    .isInstanceOf(Scaler.Outcome.Failed.class);
            assertThat(snapshots.find(fine).orElseThrow().warnings()).as("a demand table not made yet is no history")
                    .noneMatch(warning -> warning.contains("demand"));
            assertThat(histories.find(fine, ZoneOffset.UTC).days()).as("and the first tick makes it").hasSize(1);
            assertThat(local.emulator.requests().entries()).as("a 429 is not retried inside the tick")
                    .filteredOn(e -> e.method().equals("GET") && e.path().toLowerCase().contains(throttledList))
                    .hasSize(1);
            assertThat(snapshots.find(throttled).orElseThrow().failure().reason()).contains("throttled")
                    .doesNotContain("Status code");
            assertThat(snapshots.find(gone).orElseThrow().failure().reason()).contains("ResourceNotFound");
            assertThat(repository.find(gone).orElseThrow().pool().events()).as("the failure is on its pool once")
                    .filteredOn(e -> e.reason().contains("ResourceNotFound")).hasSize(1);

            local.emulator.requests().clear();
            List<Scaler.Outcome> again = scaler.tick();

            assertThat(again).filteredOn(o -> o.pool().equals(throttled)).singleElement()
                    .isInstanceOf(Scaler.Outcome.Skipped.class);
            assertThat(local.emulator.requests().entries()).as("left alone until its Retry-After")
                    .noneMatch(e -> e.path().toLowerCase().contains(throttledList));
            assertThat(repository.find(gone).orElseThrow().pool().events()).as("a standing failure is not repeated")
                    .filteredOn(e -> e.reason().contains("ResourceNotFound")).hasSize(1);

            local.emulator.configureFaults("{}");
            clock.advance(Duration.ofSeconds(61));
            List<Scaler.Outcome> after = scaler.tick();

            assertThat(after).filteredOn(o -> o.pool().equals(throttled)).singleElement()
                    .isInstanceOf(Scaler.Outcome.Evaluated.class);
            assertThat(snapshots.find(throttled).orElseThrow().failure()).as("cleared once evaluated").isNull();
            assertThat(after.get(0).pool()).as("the order turns each minute").isNotEqualTo(first.get(0).pool());
        } finally {
            local.emulator.configureFaults("{}");
        }
    }

    @Test
    void aReadyPoolNobodyUsesOutsideWorkHoursGoesToZeroRunningInstances() throws Exception {
        PoolName pool = readyPool();

        Scaler.Outcome outcome = scaler(new ArmPoolInstances(local.arm)).evaluate(pool, 0);

        assertThat(outcome).isInstanceOf(Scaler.Outcome.Evaluated.class);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(powerStates(pool)).containsOnly(Map.entry("0", "deallocated"),
                        Map.entry("1", "deallocated")));
        assertThat(repository.find(pool).orElseThrow().pool().events()).anySatisfy(event -> {
                assertThat(event.reason()).contains("deallocating [0, 1]").doesNotStartWith("Scaler");
                assertThat(event.source()).isEqualTo(org.dsvmpools.pool.PoolEvent.Source.scaler);
                assertThat(event.kind()).isEqualTo(org.dsvmpools.pool.PoolEvent.Kind.action);
            });
    }

    /**
     * A pool whose last work week saw eight people arrive at 07:00: the evening keeps its instances deallocated
     * for them, and two minutes before seven the scaler starts one, a start from the standby, not a create,
     * before anyone has come and with no schedule to say so. The history is read from and written to its table.
     */
    @Test
    void aPoolWithAHistoryOfMorningArrivalsIsStartedFromItsStandbyBeforeTheDayBegins() throws Exception {
        PoolName pool = readyPool();
        java.time.LocalDate monday = SATURDAY_NIGHT.atZone(ZoneOffset.UTC).toLocalDate().plusDays(2);
        for (int back = 7; back >= 3; back--) {
            histories.save(pool, morning(monday.minusDays(back), 8));
        }
        Instant night = monday.atTime(3, 0).toInstant(ZoneOffset.UTC);
        Instant beforeSeven = monday.atTime(6, 58).toInstant(ZoneOffset.UTC);

        scaler(new ArmPoolInstances(local.arm), night).evaluate(pool, 0);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(powerStates(pool)).containsOnly(Map.entry("0", "deallocated"),
                        Map.entry("1", "deallocated")));
        Scaler.Outcome early = scaler(new ArmPoolInstances(local.arm), beforeSeven).evaluate(pool, 0);

        assertThat(early).isInstanceOfSatisfying(Scaler.Outcome.Evaluated.class, evaluated -> {
            assertThat(evaluated.decision().actions()).singleElement().isInstanceOfSatisfying(
                    ScalingAction.Start.class, start -> assertThat(start.reason()).contains("forecast"));
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(powerStates(pool)).containsValue("running"));
        ScalingSnapshot shown = snapshots.find(pool).orElseThrow();
        assertThat(shown.forecast().historyDays()).isEqualTo(5);
        assertThat(shown.forecast().next()).anySatisfy(slot -> assertThat(slot.users()).isEqualTo(8));
        assertThat(histories.find(pool, ZoneOffset.UTC).days()).extracting(DemandHistory.Day::date)
                .contains(monday, monday.minusDays(3));
    }

    /** A work day's figures: {@code users} arrive at 07:00 and stay until five. */
    private static DemandHistory.Day morning(java.time.LocalDate date, int users) {
        DemandHistory.Day day = new DemandHistory.Day(date, new int[DemandHistory.SLOTS_PER_DAY],
                new int[DemandHistory.SLOTS_PER_DAY]);
        day.arrivals()[28] = users;
        for (int slot = 28; slot < 68; slot++) {
            day.peakUsers()[slot] = users;
        }
        return day;
    }

    @Test
    void aSessionReportKeepsItsInstanceRunningAndProtectedPastTheIdleTimeout() throws Exception {
        PoolName pool = readyPool();
        reports.record(pool, new UsageReport("1", SATURDAY_NIGHT.minusSeconds(20),
                List.of(new UsageReport.Session("alice", SATURDAY_NIGHT.minus(Duration.ofMinutes(5)))), List.of(), 35,
                SATURDAY_NIGHT.minus(Duration.ofMinutes(5))));
        reports.record(pool, new UsageReport("0", SATURDAY_NIGHT.minusSeconds(20), List.of(), List.of(), 1, null));

        scaler(new ArmPoolInstances(local.arm)).evaluate(pool, 0);

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(powerStates(pool)).containsOnly(Map.entry("0", "deallocated"),
                        Map.entry("1", "running+protected")));
        var snapshot = snapshots.find(pool).orElseThrow();
        assertThat(snapshot.summary()).isEqualTo("1 active user(s), outside work hours, target 1 serving instance(s)");
        assertThat(snapshot.instances()).anySatisfy(instance -> {
            assertThat(instance.id()).isEqualTo("1");
            assertThat(instance.users()).containsExactly("alice");
        });
        assertThat(snapshot.actions()).anySatisfy(action -> assertThat(action).contains("deallocating [0]"));
        assertThat(snapshot.metered().instanceHours()).as("nothing counted before a first evaluation").isZero();

        // A minute later: instance 1 was allocated all along, instance 0 deallocated; this month's hours count it.
        scaler(new ArmPoolInstances(local.arm), SATURDAY_NIGHT.plusSeconds(60)).evaluate(pool, 0);
        var metered = snapshots.find(pool).orElseThrow().metered();
        assertThat(metered.instanceHours()).isCloseTo(1 / 60.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(metered.month()).isEqualTo(java.time.YearMonth.from(SATURDAY_NIGHT.atZone(ZoneOffset.UTC)));
    }

    @Test
    void instancesCreatedAfterAnImageChangeGetTheNewImageInTheScaleSetsModel() throws Exception {
        PoolName pool = readyPool();
        AzureNames names = AzureNames.of(pool);
        String successor = "microsoft-dsvm:ubuntu-2404:2404-gen2:latest";

        new ArmPoolInstances(local.arm).apply(new ScaleSetRef(names.resourceGroup(), names.scaleSet(), successor),
                new ScalingAction.Create(1, "a new user"));

        var model = local.verify.compute().serviceClient().getVirtualMachineScaleSets()
                .getByResourceGroup(names.resourceGroup(), names.scaleSet());
        assertThat(model.sku().capacity()).isEqualTo(3);
        var image = model.virtualMachineProfile().storageProfile().imageReference();
        assertThat(image.offer() + ":" + image.sku()).isEqualTo("ubuntu-2404:2404-gen2");
        assertThat(model.virtualMachineProfile().osProfile().adminUsername())
                .as("the rest of the model is kept").isEqualTo("pooladmin");
    }

    @Test
    void aWakeBringsAPoolAtZeroBackWithinOneInstanceStart() throws Exception {
        PoolName pool = readyPool();
        Scaler scaler = scaler(new ArmPoolInstances(local.arm));
        scaler.evaluate(pool, 0);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(powerStates(pool).values()).containsOnly("deallocated"));

        Scaler.Outcome woken = scaler.evaluate(pool, 4);

        assertThat(((Scaler.Outcome.Evaluated) woken).applied()).singleElement().asString()
                .contains("starting 1 deallocated instance");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(powerStates(pool)).containsEntry("0", "running"));
    }

    @Test
    void overlappingEvaluationsOfOnePoolNeverBothAct() throws Exception {
        PoolName pool = readyPool();
        CountDownLatch firstIsReading = new CountDownLatch(1);
        CountDownLatch secondHasTried = new CountDownLatch(1);
        PoolInstances real = new ArmPoolInstances(local.arm);
        PoolInstances slow = new PoolInstances() {
            @Override
            public List<Instance> list(ScaleSetRef scaleSet) {
                firstIsReading.countDown();
                try {
                    secondHasTried.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return real.list(scaleSet);
            }

            @Override
            public void apply(ScaleSetRef scaleSet, ScalingAction action) {
                real.apply(scaleSet, action);
            }
        };
        local.emulator.requests().clear();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Scaler.Outcome> first = threads.submit(() -> scaler(slow).evaluate(pool, 0));
            firstIsReading.await(10, TimeUnit.SECONDS);
            Scaler.Outcome second = scaler(real).evaluate(pool, 0);
            secondHasTried.countDown();

            assertThat(second).isInstanceOf(Scaler.Outcome.Busy.class);
            assertThat(first.get(20, TimeUnit.SECONDS)).isInstanceOf(Scaler.Outcome.Evaluated.class);
        } finally {
            threads.shutdownNow();
        }
        assertThat(local.emulator.requests().entries()).filteredOn(e -> e.method().equals("POST")
                && e.path().endsWith("/deallocate")).hasSize(1);
    }

    @Test
    void aBusySurplusIsDrainedThroughItsUserDataAndDeallocatedOnceItsLastUserHasLeft() throws Exception {
        PoolName pool = readyPool();
        Instant minuteAgo = SATURDAY_NIGHT.minus(Duration.ofMinutes(1));
        reports.record(pool, new UsageReport("0", SATURDAY_NIGHT.minusSeconds(20),
                List.of(new UsageReport.Session("alice", minuteAgo)), List.of(), 20, minuteAgo));
        reports.record(pool, new UsageReport("1", SATURDAY_NIGHT.minusSeconds(20),
                List.of(new UsageReport.Session("bob", minuteAgo)), List.of(), 20, minuteAgo));
        Scaler scaler = scaler(new ArmPoolInstances(local.arm));

        Scaler.Outcome drained = scaler.evaluate(pool, 0);

        assertThat(((Scaler.Outcome.Evaluated) drained).applied()).anySatisfy(reason ->
                assertThat(reason).contains("draining 0 (1 user(s))"));
        assertThat(userData(pool, "0")).isEqualTo("{\"dsvmpools\":{\"drainedAt\":\"" + SATURDAY_NIGHT + "\"}}");
        assertThat(userData(pool, "1")).isNull();
        assertThat(snapshots.find(pool).orElseThrow().instances()).filteredOn(i -> i.drainingSince() != null)
                .extracting(i -> i.id()).containsExactly("0");
        assertThat(powerStates(pool)).containsEntry("0", "running+protected");

        reports.record(pool, new UsageReport("0", SATURDAY_NIGHT.minusSeconds(10), List.of(), List.of(), 1,
                SATURDAY_NIGHT.minusSeconds(30)));
        Scaler.Outcome emptied = scaler.evaluate(pool, 0);

        assertThat(((Scaler.Outcome.Evaluated) emptied).applied()).anySatisfy(reason ->
                assertThat(reason).contains("deallocating [0] (drained and empty: [0])"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(powerStates(pool)).containsOnly(Map.entry("0", "deallocated"),
                        Map.entry("1", "running+protected")));
    }

    private static String userData(PoolName pool, String instanceId) {
        AzureNames names = AzureNames.of(pool);
        String encoded = local.verify.compute().serviceClient().getVirtualMachineScaleSetVMs().getWithResponse(
                names.resourceGroup(), names.scaleSet(), instanceId,
                com.azure.resourcemanager.compute.models.InstanceViewTypes.USER_DATA,
                com.azure.core.util.Context.NONE).getValue().userData();
        return encoded == null ? null : new String(java.util.Base64.getDecoder().decode(encoded),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}
