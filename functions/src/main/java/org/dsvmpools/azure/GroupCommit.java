package org.dsvmpools.azure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One write for many callers: each caller queues its change and waits until a write that includes it has
 * succeeded; while a write runs, the changes queued meanwhile wait for the next one, which takes them all. When a
 * write fails, its changes go back to the queue and its caller gets the failure; the others try again (one of
 * them writes).
 */
final class GroupCommit<T> {
    private final List<T> queued = new ArrayList<>();
    private long requested;
    private long written;
    private boolean writing;

    void run(T change, Consumer<List<T>> write) {
        long mine;
        synchronized (this) {
            queued.add(change);
            mine = ++requested;
        }
        while (true) {
            List<T> batch;
            long covers;
            synchronized (this) {
                while (writing && written < mine) {
                    waitForWriter();
                }
                if (written >= mine) {
                    return;
                }
                writing = true;
                batch = List.copyOf(queued);
                queued.clear();
                covers = requested;
            }
            boolean done = false;
            try {
                write.accept(batch);
                done = true;
            } finally {
                synchronized (this) {
                    writing = false;
                    if (done) {
                        written = Math.max(written, covers);
                    } else {
                        List<T> again = new ArrayList<>(batch);
                        again.addAll(queued);
                        queued.clear();
                        queued.addAll(again);
                    }
                    notifyAll();
                }
            }
        }
    }

    private void waitForWriter() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the manifest write", e);
        }
    }
}
