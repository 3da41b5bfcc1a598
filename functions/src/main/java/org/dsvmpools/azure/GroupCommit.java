package org.dsvmpools.azure;

/**
 * One write for many callers: each caller asks for a write that starts after its request; while a write runs,
 * later callers wait and the next write covers all of them. A failed write covers nobody, so its callers try
 * again (one of them writes).
 */
final class GroupCommit {
    private long requested;
    private long written;
    private boolean writing;

    void run(Runnable write) {
        long mine;
        synchronized (this) {
            mine = ++requested;
        }
        while (true) {
            long covers;
            synchronized (this) {
                while (writing && written < mine) {
                    waitForWriter();
                }
                if (written >= mine) {
                    return;
                }
                writing = true;
                covers = requested;
            }
            boolean done = false;
            try {
                write.run();
                done = true;
            } finally {
                synchronized (this) {
                    writing = false;
                    if (done) {
                        written = Math.max(written, covers);
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
