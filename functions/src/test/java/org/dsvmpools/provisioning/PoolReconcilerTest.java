package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.pool.ResourceState;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;

class PoolReconcilerTest {
    private static final PoolBlueprint BLUEPRINT = Blueprint.of(PoolDocumentsFixture.spec("ml-team"),
            new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "sub", null, BlueprintSettings.AZURE_ARM));
    private final FakeCloud cloud = new FakeCloud();
    private final PoolReconciler reconciler = new PoolReconciler(cloud, Duration.ofSeconds(15), Duration.ofSeconds(30));
    /** The pool record's resources, as the worker would keep them between passes. */
    private Map<String, PoolResource> record = new HashMap<>();

    private ReconcileResult provision() {
        return remember(reconciler.provision(BLUEPRINT, record));
    }

    private ReconcileResult teardown(boolean purge) {
        return remember(reconciler.teardown(BLUEPRINT, purge, record));
    }

    private ReconcileResult remember(ReconcileResult result) {
        record = new HashMap<>();
        result.resources().forEach(r -> record.put(r.key(), r));
        return result;
    }

    /** Runs passes, finishing what each began, until the pool is done or {@code limit} passes ran. */
    private ReconcileResult converge(int limit) {
        ReconcileResult result = null;
        for (int pass = 0; pass < limit; pass++) {
            result = provision();
            if (!(result instanceof ReconcileResult.InProgress)) {
                return result;
            }
            cloud.finishAll();
        }
        return result;
    }

    @Test
    void aPassReadsWhatItHasNotMadeYetForItsTagsThenBeginsAWaveTogetherAndNeverWaits() {
        ReconcileResult first = provision();

        assertThat(first).isInstanceOf(ReconcileResult.InProgress.class);
        assertThat(cloud.calls).containsExactly("group tags", "ensure group", "observe securityGroup",
                "create securityGroup", "observe publicIp", "create publicIp");
        assertThat(((ReconcileResult.InProgress) first).recheckAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(record.get("securityGroup").state()).isEqualTo(ResourceState.Creating);
    }

    @Test
    void armsRetryAfterHintDecidesWhenToLookAgain() {
        cloud.hint = Duration.ofSeconds(3);

        assertThat(((ReconcileResult.InProgress) provision()).recheckAfter()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void passesWalkTheWavesInDependencyOrderAndReadOnlyWhatIsInFlight() {
        ReconcileResult result = converge(10);

        assertThat(result).isInstanceOf(ReconcileResult.Done.class);
        assertThat(cloud.calls).containsExactly("group tags", "ensure group", "observe securityGroup",
                "create securityGroup", "observe publicIp", "create publicIp",
                "observe securityGroup", "observe publicIp", "observe network", "create network",
                "observe loadBalancer", "create loadBalancer",
                "observe network", "observe loadBalancer", "observe storage", "create storage",
                "observe storage", "create share",
                "observe share", "observe scaleSet", "create scaleSet",
                "observe scaleSet", "create storageKeyRole");
        assertThat(result.resources()).allMatch(r -> r.is(ResourceState.Succeeded));
        assertThat(record.get("scaleSet").outputs()).containsEntry(Outputs.PRINCIPAL_ID, "principal-1");
    }

    @Test
    void aDoneRecordCostsNoRequestsAtAll() {
        converge(10);
        cloud.calls.clear();

        assertThat(provision()).isInstanceOf(ReconcileResult.Done.class);
        assertThat(cloud.calls).isEmpty();
    }

    @Test
    void repeatedPassesAndPassesWhoseRecordWasLostCreateEachResourceOnceMore() {
        provision();
        Map<String, PoolResource> beforeFirstPass = new HashMap<>();
        provision();
        cloud.finishAll();
        provision();
        record = beforeFirstPass;
        converge(10);

        for (PoolBlueprint.Resource resource : BLUEPRINT.resources()) {
            assertThat(cloud.creates(resource.key().value())).as(resource.key().value()).isLessThanOrEqualTo(2);
        }
        assertThat(cloud.states).hasSize(BLUEPRINT.resources().size());
    }

    @Test
    void aResourceThatVanishedWhileInFlightIsBegunAgain() {
        provision();
        cloud.states.remove("publicIp");

        provision();

        assertThat(cloud.creates("publicIp")).isEqualTo(2);
        assertThat(cloud.creates("securityGroup")).isEqualTo(1);
    }

    @Test
    void aRetryableErrorAsksForALaterPassAndKeepsWhatWasBegun() {
        provision();
        cloud.finishAll();
        cloud.failNext("loadBalancer", "TooManyRequests", 429);

        ReconcileResult throttled = provision();

        assertThat(throttled).isInstanceOf(ReconcileResult.Retry.class);
        ReconcileResult.Retry retry = (ReconcileResult.Retry) throttled;
        assertThat(retry.resourceKey()).isEqualTo("loadBalancer");
        assertThat(retry.code()).isEqualTo("TooManyRequests");
        assertThat(retry.after()).isEqualTo(Duration.ofSeconds(30));
        assertThat(record.get("network").state()).isEqualTo(ResourceState.Creating);
        assertThat(converge(10)).isInstanceOf(ReconcileResult.Done.class);
        assertThat(cloud.creates("network")).isEqualTo(1);
    }

    @Test
    void aFatalErrorFailsThePoolNamingTheResourceAndTheCode() {
        for (int wave = 0; wave < 4; wave++) {
            provision();
            cloud.finishAll();
        }
        cloud.failNext("scaleSet", "QuotaExceeded", 409);

        ReconcileResult result = provision();

        assertThat(result).isInstanceOf(ReconcileResult.Failed.class);
        ReconcileResult.Failed failed = (ReconcileResult.Failed) result;
        assertThat(failed.resourceKey()).isEqualTo("scaleSet");
        assertThat(failed.code()).isEqualTo("QuotaExceeded");
        assertThat(failed.message()).isEqualTo("injected QuotaExceeded");
    }

    @Test
    void aResourceAzureMarksFailedFailsThePool() {
        provision();
        cloud.states.put("publicIp", Observation.State.FAILED);

        assertThat(provision()).isInstanceOf(ReconcileResult.Failed.class)
                .extracting(result -> ((ReconcileResult.Failed) result).resourceKey()).isEqualTo("publicIp");
    }

    /** #27 finding 1: the operator's prod-vnet has the pool's derived name; the pool must neither PUT nor delete it. */
    @Test
    void aResourceThatExistsWithoutThePoolsTagsFailsThePoolNamingItAndIsNeverChangedOrDeleted() {
        cloud.foreign.put("network", Map.of("owner", "ops"));
        ReconcileResult result = converge(10);

        assertThat(result).isInstanceOf(ReconcileResult.Failed.class);
        ReconcileResult.Failed failed = (ReconcileResult.Failed) result;
        assertThat(failed.code()).isEqualTo("ResourceNotOwned");
        assertThat(failed.message()).contains("virtual network '" + BLUEPRINT.resource(ResourceKey.NETWORK).name()
                + "'", "dsvmpools-pool", "nothing was changed");
        assertThat(cloud.calls).doesNotContain("create network");

        cloud.calls.clear();
        ReconcileResult torn = teardown(false);
        for (int pass = 0; pass < 5 && torn instanceof ReconcileResult.InProgress; pass++) {
            cloud.finishAll();
            torn = teardown(false);
        }
        assertThat(torn).isInstanceOf(ReconcileResult.Done.class);
        assertThat(cloud.calls).contains("delete securityGroup").doesNotContain("delete network");
        assertThat(record.get("network").state()).isEqualTo(ResourceState.Pending);
    }

    @Test
    void aResourceGroupOfThePoolsNameThatIsSomeoneElsesIsNeitherRetaggedNorPurged() {
        cloud.foreignGroup = Map.of("owner", "finance");

        ReconcileResult result = provision();

        assertThat(result).isInstanceOf(ReconcileResult.Failed.class);
        assertThat(((ReconcileResult.Failed) result).resourceKey()).isEqualTo("resourceGroup");
        assertThat(cloud.calls).containsExactly("group tags");
        cloud.calls.clear();
        teardown(true);
        assertThat(cloud.calls).doesNotContain("delete group");
    }

    @Test
    void aResourceCarryingThePoolsTagsIsThePoolsAndIsPutAgain() {
        cloud.foreign.put("network", BLUEPRINT.resourceGroup().tags());

        converge(10);

        assertThat(cloud.calls).contains("create network");
    }

    @Test
    void teardownDeletesDependantsFirstAndKeepsTheData() {
        converge(10);
        cloud.calls.clear();

        ReconcileResult result = null;
        for (int pass = 0; pass < 10; pass++) {
            result = teardown(false);
            if (result instanceof ReconcileResult.Done) {
                break;
            }
            cloud.finishAll();
        }

        assertThat(result).isInstanceOf(ReconcileResult.Done.class);
        assertThat(cloud.calls).filteredOn(call -> call.startsWith("delete")).containsExactly("delete storageKeyRole",
                "delete scaleSet", "delete network", "delete loadBalancer", "delete securityGroup", "delete publicIp");
        assertThat(cloud.states).containsOnlyKeys("storage", "share");
        assertThat(record.get("storage").state()).isEqualTo(ResourceState.Kept);
        assertThat(record.get("share").state()).isEqualTo(ResourceState.Kept);
        assertThat(record.get("scaleSet").state()).isEqualTo(ResourceState.Deleted);
    }

    @Test
    void teardownOfAPoolThatNeverGotFarDeletesWhatIsThereAndFinishes() {
        provision();
        cloud.finishAll();
        cloud.calls.clear();

        ReconcileResult result = null;
        for (int pass = 0; pass < 10 && !(result instanceof ReconcileResult.Done); pass++) {
            result = teardown(false);
            cloud.finishAll();
        }

        assertThat(result).isInstanceOf(ReconcileResult.Done.class);
        assertThat(cloud.states).isEmpty();
        assertThat(record.get("storage").state()).as("never created, so nothing kept").isEqualTo(ResourceState.Pending);
        assertThat(record.get("resourceGroup").state()).isEqualTo(ResourceState.Kept);
    }

    private static final PoolBlueprint IN_EXISTING_GROUP = Blueprint.of(org.dsvmpools.pool.PoolSpecJson.read(
            PoolDocumentsFixture.document("ml-team").put("resourceGroup", "team-shared")).spec(),
            new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "sub", null, BlueprintSettings.AZURE_ARM));

    @Test
    void anExistingGroupIsCheckedNeverCreatedAndAMissingOneFailsThePool() {
        ReconcileResult missing = reconciler.provision(IN_EXISTING_GROUP, Map.of());

        assertThat(missing).isInstanceOf(ReconcileResult.Failed.class);
        assertThat(((ReconcileResult.Failed) missing).code()).isEqualTo("ResourceGroupNotFound");
        assertThat(cloud.calls).containsExactly("group exists");

        cloud.groupExists = true;
        assertThat(reconciler.provision(IN_EXISTING_GROUP, Map.of())).isInstanceOf(ReconcileResult.InProgress.class);
        assertThat(cloud.calls).doesNotContain("ensure group");
    }

    @Test
    void aPurgeInAnExistingGroupDeletesThePoolsResourcesOneByOneAndLeavesTheGroup() {
        cloud.groupExists = true;
        for (int pass = 0; pass < 10; pass++) {
            remember(reconciler.provision(IN_EXISTING_GROUP, record));
            cloud.finishAll();
        }
        assertThat(record.values()).allMatch(r -> r.is(ResourceState.Succeeded));
        ReconcileResult result = null;
        for (int pass = 0; pass < 10 && !(result instanceof ReconcileResult.Done); pass++) {
            result = remember(reconciler.teardown(IN_EXISTING_GROUP, true, record));
            cloud.finishAll();
        }

        assertThat(result).isInstanceOf(ReconcileResult.Done.class);
        assertThat(cloud.states).isEmpty();
        assertThat(cloud.calls).contains("delete share", "delete storage").doesNotContain("delete group");
        assertThat(cloud.groupExists).isTrue();
    }

    @Test
    void aPurgeDeletesTheWholeResourceGroup() {
        converge(10);

        assertThat(teardown(true)).isInstanceOf(ReconcileResult.InProgress.class);
        ReconcileResult done = teardown(true);
        assertThat(done).isInstanceOf(ReconcileResult.Done.class);
        assertThat(done.resources()).allMatch(r -> r.is(ResourceState.Deleted));
        assertThat(cloud.calls).containsOnlyOnce("delete group");
    }
}
