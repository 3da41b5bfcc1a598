package org.dsvmpools.pool;

import java.util.Optional;
import java.util.function.Function;

/**
 * The one way to change a stored pool: read it, decide, write only if nobody wrote since the read, and on a lost
 * race read again and decide again, so another writer's change is never overwritten unseen.
 */
public final class PoolUpdate {
    private PoolUpdate() {
    }

    /** What a step decides about the pool as read: an answer without a write, or a write and its answer. */
    public sealed interface Decision<T> {
    }

    /** Nothing to write: {@code result} is the answer. */
    public record Answer<T>(T result) implements Decision<T> {
    }

    /** Write {@code next}; once it is stored, the answer is {@code result} of it. */
    public record Write<T>(Pool next, Function<Pool, T> result) implements Decision<T> {
    }

    public static <T> Decision<T> answer(T result) {
        return new Answer<>(result);
    }

    public static <T> Decision<T> write(Pool next, Function<Pool, T> result) {
        return new Write<>(next, result);
    }

    /**
     * Decides on the pool as stored (empty when there is none) and writes what was decided.
     *
     * @throws PoolRepository.StaleRecordException when every attempt lost its write to another writer
     */
    public static <T> T apply(PoolRepository repository, PoolName name,
                              Function<Optional<StoredPool>, Decision<T>> decide) {
        return run(repository, name, decide, false);
    }

    /**
     * As {@link #apply}, for a change that may take more of a limit: the ledger is read before the pool, and the
     * write moves it, so the decision's count of the other pools still holds when it is written.
     */
    public static <T> T applyWithinLimits(PoolRepository repository, PoolName name,
                                          Function<Optional<StoredPool>, Decision<T>> decide) {
        return run(repository, name, decide, true);
    }

    private static <T> T run(PoolRepository repository, PoolName name,
                             Function<Optional<StoredPool>, Decision<T>> decide, boolean underLedger) {
        return OnConflict.retry(() -> {
            PoolRepository.LimitsVersion version = underLedger ? repository.limitsVersion() : null;
            Optional<StoredPool> found = repository.find(name);
            Decision<T> decision = decide.apply(found);
            if (decision instanceof Answer<T> answer) {
                return answer.result();
            }
            Write<T> write = (Write<T>) decision;
            StoredPool current = found.orElseThrow(() -> new IllegalStateException(
                    "a write was decided for pool " + name + ", which does not exist"));
            if (underLedger) {
                repository.replace(current, write.next(), version);
            } else {
                repository.replace(current, write.next());
            }
            return write.result().apply(write.next());
        });
    }
}
