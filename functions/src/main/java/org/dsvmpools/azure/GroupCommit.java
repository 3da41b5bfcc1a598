package org.dsvmpools.azure;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One write for many callers: each caller queues its change and waits for the write that includes it; while a
 * write runs, the changes queued meanwhile wait for the next one, which takes them all (up to {@code limit}). The
 * caller whose change is queued first when no write runs does the writing. Each caller gets its own change's
 * result; when a write fails, every caller in it gets the failure (their changes must be idempotent to be tried
 * again, as every roster change is).
 *
 * @param <T> a change
 * @param <R> what became of it
 */
final class GroupCommit<T, R> {
    private final int limit;
    private final ArrayDeque<Slot<T, R>> queued = new ArrayDeque<>();
    private boolean writing;

    /** @param limit the most changes one write takes (a Table transaction takes 100) */
    GroupCommit(int limit) {
        this.limit = limit;
    }

    private static final class Slot<T, R> {
        final T change;
        boolean done;
        R result;
        RuntimeException failure;

        Slot(T change) {
            this.change = change;
        }
    }

    /**
     * @param write writes a batch, returning one result per change, in the batch's order
     */
    R run(T change, Function<List<T>, List<R>> write) {
        Slot<T, R> mine = new Slot<>(change);
        synchronized (this) {
            queued.add(mine);
        }
        while (true) {
            List<Slot<T, R>> batch = new ArrayList<>();
            synchronized (this) {
                while (writing && !mine.done) {
                    waitForWriter();
                }
                if (mine.done) {
                    if (mine.failure != null) {
                        throw mine.failure;
                    }
                    return mine.result;
                }
                writing = true;
                while (!queued.isEmpty() && batch.size() < limit) {
                    batch.add(queued.poll());
                }
            }
            List<R> results = null;
            RuntimeException failure = null;
            try {
                results = write.apply(batch.stream().map(slot -> slot.change).toList());
            } catch (RuntimeException e) {
                failure = e;
            }
            synchronized (this) {
                for (int i = 0; i < batch.size(); i++) {
                    Slot<T, R> slot = batch.get(i);
                    slot.done = true;
                    slot.failure = failure;
                    slot.result = failure == null ? results.get(i) : null;
                }
                writing = false;
                notifyAll();
            }
        }
    }

    private void waitForWriter() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batched write", e);
        }
    }
}
