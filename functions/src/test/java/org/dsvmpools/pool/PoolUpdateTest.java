package org.dsvmpools.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;

class PoolUpdateTest {
    private static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    private final InMemoryPoolRepository repository = new InMemoryPoolRepository();
    private final PoolName name = new PoolName("ml-team");

    private void stored() {
        repository.create(Pool.accept(PoolDocumentsFixture.spec("ml-team"), Caller.FUNCTION_KEY, NOW));
    }

    @Test
    void aWriteLostToAnotherWriterIsDecidedAgainOnWhatThatWriterStored() {
        stored();
        AtomicInteger decisions = new AtomicInteger();

        String result = PoolUpdate.apply(repository, name, found -> {
            if (decisions.incrementAndGet() == 1) {
                // Another writer notes something between this step's read and its write.
                StoredPool current = repository.find(name).orElseThrow();
                repository.replace(current, current.pool().note(org.dsvmpools.pool.PoolEvent.Source.requester, org.dsvmpools.pool.PoolEvent.Kind.action, "the other writer", NOW));
            }
            return PoolUpdate.write(found.orElseThrow().pool().note(org.dsvmpools.pool.PoolEvent.Source.requester, org.dsvmpools.pool.PoolEvent.Kind.action, "mine", NOW), next -> "written");
        });

        assertThat(result).isEqualTo("written");
        assertThat(decisions).hasValue(2);
        assertThat(repository.find(name).orElseThrow().pool().events()).extracting(PoolEvent::reason)
                .contains("the other writer", "mine");
    }

    @Test
    void anAnswerWritesNothingAndAPoolThatIsNotThereIsTheStepsToAnswer() {
        Boolean present = PoolUpdate.apply(repository, name, found -> PoolUpdate.answer(found.isPresent()));
        assertThat(present).isFalse();
        stored();
        Optional<StoredPool> before = repository.find(name);

        String answer = PoolUpdate.apply(repository, name, found -> PoolUpdate.answer("unchanged"));
        assertThat(answer).isEqualTo("unchanged");
        assertThat(repository.find(name)).isEqualTo(before);
    }

    @Test
    void aStepThatLosesEveryRaceEndsInStaleRecord() {
        stored();

        assertThatThrownBy(() -> PoolUpdate.apply(repository, name, found -> {
            StoredPool current = repository.find(name).orElseThrow();
            repository.replace(current, current.pool().note(org.dsvmpools.pool.PoolEvent.Source.requester, org.dsvmpools.pool.PoolEvent.Kind.action, "always first", NOW));
            return PoolUpdate.write(found.orElseThrow().pool(), next -> "never");
        })).isInstanceOf(PoolRepository.StaleRecordException.class);
    }
}
