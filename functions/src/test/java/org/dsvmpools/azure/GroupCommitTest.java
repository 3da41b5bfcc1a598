package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    @Test
    void callersWaitingOnAWriteShareTheNextOneAndEveryChangeIsWrittenOnce() throws Exception {
        GroupCommit<Integer> commit = new GroupCommit<>();
        AtomicInteger writes = new AtomicInteger();
        AtomicInteger recorded = new AtomicInteger();
        List<Integer> seenByWrites = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> callers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            callers.add(threads.submit(() -> {
                start.await();
                int mine = recorded.incrementAndGet();
                commit.run(mine, batch -> {
                    writes.incrementAndGet();
                    synchronized (seenByWrites) {
                        seenByWrites.addAll(batch);
                    }
                    sleep();
                });
                return mine;
            }));
        }
        start.countDown();
        int last = 0;
        for (Future<Integer> caller : callers) {
            last = Math.max(last, caller.get());
        }
        threads.shutdown();

        assertThat(writes.get()).as("far fewer writes than callers").isLessThan(100);
        assertThat(seenByWrites).as("every change written exactly once").hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void aFailedWritesChangesAreKeptForTheNextWrite() {
        GroupCommit<Integer> commit = new GroupCommit<>();
        AtomicInteger attempts = new AtomicInteger();

        List<Integer> written = new ArrayList<>();
        try {
            commit.run(1, batch -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("Files is down");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("Files is down");
        }
        commit.run(2, batch -> {
            attempts.incrementAndGet();
            written.addAll(batch);
        });

        assertThat(attempts.get()).isEqualTo(2);
        assertThat(written).as("the failed change is written with the next").containsExactly(1, 2);
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
