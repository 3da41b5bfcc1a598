package org.dsvmpools.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dsvmpools.pool.WorkItem;
import org.dsvmpools.pool.WorkQueue;

/** A {@link WorkQueue} that keeps what it was sent, and can be switched into an outage. */
public final class RecordingWorkQueue implements WorkQueue {
    /** One message as sent: the item and how long it stays invisible. */
    public record Sent(WorkItem item, Duration visibleAfter) {
    }

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    @Override
    public void send(WorkItem item, Duration visibleAfter) {
        if (down) {
            throw new WorkQueueException("queue is down (injected)", null);
        }
        sent.add(new Sent(item, visibleAfter));
    }

    public List<WorkItem> sent() {
        return sent.stream().map(Sent::item).toList();
    }

    public List<Sent> sentWithDelays() {
        return List.copyOf(sent);
    }

    public void setDown(boolean down) {
        this.down = down;
    }
}
