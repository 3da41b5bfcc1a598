package org.dsvmpools.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dsvmpools.pool.WorkItem;
import org.dsvmpools.pool.WorkQueue;

/** A {@link WorkQueue} that keeps what it was sent, and can be switched into an outage. */
public final class RecordingWorkQueue implements WorkQueue {
    private final List<WorkItem> sent = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    @Override
    public void send(WorkItem item) {
        if (down) {
            throw new WorkQueueException("queue is down (injected)", null);
        }
        sent.add(item);
    }

    public List<WorkItem> sent() {
        return List.copyOf(sent);
    }

    public void setDown(boolean down) {
        this.down = down;
    }
}
