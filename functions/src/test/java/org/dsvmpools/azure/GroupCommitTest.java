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
    void callersWaitingOnAWriteShareTheNextOneAndEveryCallerIsCoveredByAWriteThatStartedAfterIt() throws Exception {
        GroupCommit commit = new GroupCommit();
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
                commit.run(() -> {
                    writes.incrementAndGet();
                    synchronized (seenByWrites) {
                        seenByWrites.add(recorded.get());
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
        assertThat(seenByWrites.get(seenByWrites.size() - 1)).as("the last write saw every change").isEqualTo(200);
    }

    @Test
    void aFailedWriteCoversNobodyAndTheCallerTriesAgain() {
        GroupCommit commit = new GroupCommit();
        AtomicInteger attempts = new AtomicInteger();

        try {
            commit.run(() -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("Files is down");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("Files is down");
        }
        commit.run(attempts::incrementAndGet);

        assertThat(attempts.get()).isEqualTo(2);
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
