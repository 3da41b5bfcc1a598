package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void callersWaitingOnAWriteShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        GroupCommit<Integer, String> commit = new GroupCommit<>(100);
        AtomicInteger writes = new AtomicInteger();
        List<Integer> seenByWrites = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<String>> callers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int mine = i;
            callers.add(threads.submit(() -> {
                start.await();
                return commit.run(mine, batch -> {
                    writes.incrementAndGet();
                    synchronized (seenByWrites) {
                        seenByWrites.addAll(batch);
                    }
                    sleep();
                    return batch.stream().map(change -> "written " + change).toList();
                });
            }));
        }
        start.countDown();
        for (int i = 0; i < callers.size(); i++) {
            assertThat(callers.get(i).get()).isEqualTo("written " + i);
        }
        threads.shutdown();

        assertThat(writes.get()).as("far fewer writes than callers").isLessThan(100);
        assertThat(seenByWrites).as("every change written exactly once").hasSize(200).doesNotHaveDuplicates();
    }

    @Test
    void noWriteTakesMoreThanTheLimit() throws Exception {
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(3);
        List<Integer> sizes = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(12);
        List<Future<Integer>> callers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int mine = i;
            callers.add(threads.submit(() -> commit.run(mine, batch -> {
                synchronized (sizes) {
                    sizes.add(batch.size());
                }
                sleep();
                return batch;
            })));
        }
        for (Future<Integer> caller : callers) {
            caller.get();
        }
        threads.shutdown();

        assertThat(sizes).allMatch(size -> size <= 3);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
    }

    @Test
    void everyCallerInAFailedWriteGetsTheFailureAndTheNextWriteIsFresh() {
        GroupCommit<Integer, Integer> commit = new GroupCommit<>(100);
        List<Integer> written = new ArrayList<>();

        assertThatThrownBy(() -> commit.run(1, batch -> {
            throw new IllegalStateException("Files is down");
        })).hasMessage("Files is down");
        int result = commit.run(2, batch -> {
            written.addAll(batch);
            return batch;
        });

        assertThat(result).isEqualTo(2);
        assertThat(written).as("a failed change is its caller's to try again").containsExactly(2);
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
