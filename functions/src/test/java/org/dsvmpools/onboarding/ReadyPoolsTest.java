package org.dsvmpools.onboarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.MutableClock;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;

class ReadyPoolsTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final PoolName POOL = new PoolName("ml-team");

    private final AtomicInteger reads = new AtomicInteger();
    private final InMemoryPoolRepository stored = new InMemoryPoolRepository();
    private final MutableClock clock = new MutableClock(T0);
    private final ReadyPools pools = new ReadyPools(counted(stored), clock);

    /** The repository, counting its reads. */
    private PoolRepository counted(PoolRepository repository) {
        return (PoolRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PoolRepository.class}, (proxy, method, args) -> {
                    if (method.getName().equals("find")) {
                        reads.incrementAndGet();
                    }
                    return method.invoke(repository, args);
                });
    }

    private static Pool provisioning() {
        return Pool.accept(PoolDocumentsFixture.spec("ml-team"), new Caller("a", "A", Set.of()), T0)
                .moveTo(PoolStatus.Provisioning, "w", T0);
    }

    @Test
    void aReadyPoolIsReadOnceForAFewSeconds() {
        stored.create(provisioning().moveTo(PoolStatus.Ready, "r", T0));

        pools.find(POOL);
        clock.advance(ReadyPools.FOR.minusSeconds(1));
        assertThat(pools.find(POOL)).get().extracting(p -> p.pool().status()).isEqualTo(PoolStatus.Ready);
        assertThat(reads.get()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        pools.find(POOL);
        assertThat(reads.get()).as("read again once the time is up").isEqualTo(2);
    }

    @Test
    void aPoolNotYetReadyIsReadEveryTimeSoThatItsReadinessIsSeenAtOnce() {
        stored.create(provisioning());

        assertThat(pools.find(POOL)).get().extracting(p -> p.pool().status()).isEqualTo(PoolStatus.Provisioning);
        stored.replace(stored.find(POOL).orElseThrow(), stored.find(POOL).orElseThrow().pool()
                .moveTo(PoolStatus.Ready, "r", T0));

        assertThat(pools.find(POOL)).get().extracting(p -> p.pool().status()).isEqualTo(PoolStatus.Ready);
        assertThat(pools.find(new PoolName("nowhere"))).isEmpty();
    }
}
