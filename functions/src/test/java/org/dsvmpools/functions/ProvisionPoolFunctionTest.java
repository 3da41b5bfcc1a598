package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.dsvmpools.kit.InvocationContext;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.WorkItemJson;
import org.dsvmpools.provisioning.CloudResources;
import org.dsvmpools.provisioning.PoisonedWork;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.MutableClock;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.dsvmpools.testing.RecordingWorkQueue;
import org.junit.jupiter.api.Test;

/** The worker function's last line of defence: a message the host is about to give up on fails its pool. */
class ProvisionPoolFunctionTest {
    private final InMemoryPoolRepository repository = new InMemoryPoolRepository();
    private final RecordingWorkQueue queue = new RecordingWorkQueue();
    private final CloudResources broken = mock(CloudResources.class);
    private final Settings settings = new Settings(Map.of(Settings.SUBSCRIPTION_ID, "sub",
            Settings.STORAGE_CONNECTION, "UseDevelopmentStorage=true"));
    /** The whole app; the Storage adapters it does not fake are built but never reached by these paths. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
    private final App app = App.wire(settings, clock, Adapters.fromSettings(settings, clock).withRepository(repository).withQueue(queue).withCloud(() -> broken));
    private final ProvisionPoolFunction function = new ProvisionPoolFunction(app);

    private String submitted() {
        app.intake().submit(PoolDocumentsFixture.spec("ml-team"), new Caller("alice-id", "Alice", Set.of()));
        return WorkItemJson.write(queue.sent().get(0));
    }

    @Test
    void aFailureBeforeTheLastAttemptLeavesThePoolToTheHostsRetries() {
        String message = submitted();
        doThrow(new IllegalStateException("bug")).when(broken).ensureGroup(any());

        assertThatThrownBy(() -> function.run(message, 1, new InvocationContext("ProvisionPool")))
                .hasMessage("bug");

        assertThat(app.intake().get(new PoolName("ml-team")).orElseThrow().status()).isEqualTo(PoolStatus.Accepted);
    }

    @Test
    void onTheLastAttemptThePoolIsMarkedFailedBeforeTheMessageGoesToThePoisonQueue() {
        String message = submitted();
        doThrow(new IllegalStateException("bug")).when(broken).ensureGroup(any());

        assertThatThrownBy(() -> function.run(message, ProvisionPoolFunction.MAX_DEQUEUE_COUNT,
                new InvocationContext("ProvisionPool"))).hasMessage("bug");

        var pool = app.intake().get(new PoolName("ml-team")).orElseThrow();
        assertThat(pool.status()).isEqualTo(PoolStatus.Failed);
        assertThat(pool.progress().failure().code()).isEqualTo(PoisonedWork.CODE);
    }

    @Test
    void anUnreadableMessageIsRefusedWithItsReason() {
        assertThatThrownBy(() -> function.run("{\"v\":1,\"kind\":\"rebuild\",\"pool\":\"ml-team\",\"generation\":1}",
                1, new InvocationContext("ProvisionPool")))
                .isInstanceOf(WorkItemJson.UnreadableMessageException.class)
                .hasMessageContaining("'kind' must be provision or teardown");
    }
}
