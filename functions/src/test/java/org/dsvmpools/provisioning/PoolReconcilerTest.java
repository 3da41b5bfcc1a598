package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;

class PoolReconcilerTest {
    private static final PoolBlueprint BLUEPRINT = Blueprint.of(PoolDocumentsFixture.spec("ml-team"),
            new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, "sub", null, BlueprintSettings.AZURE_ARM));
    private final FakeCloud cloud = new FakeCloud();
    private final PoolReconciler reconciler = new PoolReconciler(cloud, Duration.ofSeconds(15), Duration.ofSeconds(30));

    /** Runs passes, finishing what each began, until the pool is done or {@code limit} passes ran. */
    private ReconcileResult converge(int limit) {
        ReconcileResult result = null;
        for (int pass = 0; pass < limit; pass++) {
            result = reconciler.provision(BLUEPRINT);
            if (!(result instanceof ReconcileResult.InProgress)) {
                return result;
            }
            cloud.finishAll();
        }
        return result;
    }

    @Test
    void aPassBeginsAWaveTogetherAndNeverWaits() {
        ReconcileResult first = reconciler.provision(BLUEPRINT);

        assertThat(first).isInstanceOf(ReconcileResult.InProgress.class);
        assertThat(cloud.calls).containsExactly("create securityGroup", "create publicIp");
        assertThat(((ReconcileResult.InProgress) first).recheckAfter()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void passesWalkTheWavesInDependencyOrderUntilDone() {
        ReconcileResult result = converge(10);

        assertThat(result).isInstanceOf(ReconcileResult.Done.class);
        assertThat(cloud.calls).containsExactly("create securityGroup", "create publicIp", "create network",
                "create loadBalancer", "create storage", "create share", "create scaleSet", "create storageKeyRole");
    }

    @Test
    void repeatedAndInterruptedPassesCreateEachResourceOnce() {
        reconciler.provision(BLUEPRINT);
        reconciler.provision(BLUEPRINT);
        cloud.finishAll();
        reconciler.provision(BLUEPRINT);
        reconciler.provision(BLUEPRINT);
        converge(10);
        converge(10);

        for (PoolBlueprint.Resource resource : BLUEPRINT.resources()) {
            assertThat(cloud.creates(resource.key())).as(resource.key()).isEqualTo(1);
        }
    }

    @Test
    void aRetryableErrorAsksForALaterPassAndLosesNothing() {
        reconciler.provision(BLUEPRINT);
        cloud.finishAll();
        cloud.failNext("network", "TooManyRequests", 429);

        ReconcileResult throttled = reconciler.provision(BLUEPRINT);

        assertThat(throttled).isEqualTo(new ReconcileResult.Retry("network", "TooManyRequests", "injected TooManyRequests",
                Duration.ofSeconds(30)));
        assertThat(converge(10)).isInstanceOf(ReconcileResult.Done.class);
    }

    @Test
    void aFatalErrorFailsThePoolNamingTheResourceAndTheCode() {
        reconciler.provision(BLUEPRINT);
        cloud.finishAll();
        reconciler.provision(BLUEPRINT);
        cloud.finishAll();
        reconciler.provision(BLUEPRINT);
        cloud.finishAll();
        reconciler.provision(BLUEPRINT);
        cloud.finishAll();
        cloud.failNext("scaleSet", "QuotaExceeded", 409);

        ReconcileResult result = reconciler.provision(BLUEPRINT);

        assertThat(result).isEqualTo(new ReconcileResult.Failed("scaleSet", "QuotaExceeded", "injected QuotaExceeded"));
    }

    @Test
    void aResourceAzureMarksFailedFailsThePool() {
        reconciler.provision(BLUEPRINT);
        cloud.states.put("publicIp", Observation.State.FAILED);

        assertThat(reconciler.provision(BLUEPRINT)).isInstanceOf(ReconcileResult.Failed.class)
                .extracting(result -> ((ReconcileResult.Failed) result).resourceKey()).isEqualTo("publicIp");
    }

    @Test
    void teardownDeletesDependantsFirstAndKeepsTheData() {
        converge(10);
        cloud.calls.clear();

        ReconcileResult result = null;
        for (int pass = 0; pass < 10; pass++) {
            result = reconciler.teardown(BLUEPRINT, false);
            if (result instanceof ReconcileResult.Done) {
                break;
            }
            cloud.finishAll();
        }

        assertThat(result).isEqualTo(new ReconcileResult.Done(java.util.Map.of(), java.util.List.copyOf(PoolReconciler.DATA)));
        assertThat(cloud.calls).containsExactly("delete storageKeyRole", "delete scaleSet", "delete network",
                "delete loadBalancer", "delete securityGroup", "delete publicIp");
        assertThat(cloud.states).containsOnlyKeys("storage", "share");
    }

    @Test
    void aPurgeDeletesTheWholeResourceGroup() {
        converge(10);

        assertThat(reconciler.teardown(BLUEPRINT, true)).isInstanceOf(ReconcileResult.InProgress.class);
        assertThat(reconciler.teardown(BLUEPRINT, true)).isInstanceOf(ReconcileResult.Done.class);
        assertThat(cloud.calls).containsOnlyOnce("delete group");
    }
}
