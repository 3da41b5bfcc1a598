package org.dsvmpools.pool;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A pool as the control plane records it: the spec asked for, where it stands, and how it got there. Immutable:
 * each change returns a new pool with the event appended, so a write either stores the whole step or nothing.
 *
 * @param generation bumped by every request that asks the worker to act again (provision, teardown); messages
 *                   carry it so the worker can tell a stale or duplicate message from current work
 * @param purgeData  set by a teardown that was asked to delete the share and its data too
 * @param rosterSince when this life's roster began: a Deleted pool's name requested again without keeping its
 *                   roster starts a new one, and the users of the old life are removed when the pool is Ready
 *                   (#27); null for a pool whose roster is all its own
 */
public record Pool(
        PoolName name,
        PoolSpec spec,
        PoolStatus status,
        long generation,
        Caller.Owner owner,
        Instant createdAt,
        Instant updatedAt,
        boolean purgeData,
        List<PoolEvent> events,
        Progress progress,
        Instant rosterSince) {

    /** The history keeps the first event and the newest ones: enough to explain a pool, bounded in size. */
    public static final int MAX_EVENTS = 50;

    public Pool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(progress, "progress");
        events = List.copyOf(events);
    }

    public Pool(PoolName name, PoolSpec spec, PoolStatus status, long generation, Caller.Owner owner,
                Instant createdAt, Instant updatedAt, boolean purgeData, List<PoolEvent> events, Progress progress) {
        this(name, spec, status, generation, owner, createdAt, updatedAt, purgeData, events, progress, null);
    }

    public static Pool accept(PoolSpec spec, Caller caller, Instant now) {
        return new Pool(spec.poolName(), spec, PoolStatus.Accepted, 1, caller.asOwner(), now, now, false,
                List.of(new PoolEvent(now, PoolStatus.Accepted, "Pool requested by " + caller.name(),
                        PoolEvent.Source.requester, PoolEvent.Kind.state)), Progress.NONE);
    }

    /**
     * A pool requested again under the name of one that was deleted: a new life, the same record. Its roster is
     * the old life's only when {@code keepRoster}; otherwise it begins now.
     */
    public Pool reaccept(PoolSpec newSpec, Caller caller, Instant now, boolean keepRoster) {
        Pool moved = move(PoolStatus.Accepted, "Pool requested again by " + caller.name()
                + (keepRoster ? ", its roster kept" : ", with a roster of its own"), now, PoolEvent.Source.requester);
        return new Pool(name, newSpec, moved.status, generation + 1, caller.asOwner(), now, now, false,
                moved.events, progress.restart(), keepRoster ? rosterSince : now);
    }

    /** Whether this is a Deleted pool whose share (its users' notebooks) and roster were kept, not purged. */
    public boolean holdsData() {
        return status == PoolStatus.Deleted && !purgeData;
    }

    /**
     * Asks for teardown. A pool already being deleted (or deleted with its share kept) is asked again only to
     * purge its data too, which needs a new generation so the worker acts on it.
     */
    public Pool requestTeardown(boolean purge, Caller caller, Instant now) {
        String reason = "Deletion requested by " + caller.name() + (purge ? ", data purge confirmed" : ", share kept");
        Pool moved = status == PoolStatus.Deleting ? note(PoolEvent.Source.requester, PoolEvent.Kind.action, reason, now)
                : move(PoolStatus.Deleting, reason, now, PoolEvent.Source.requester);
        return new Pool(name, spec, moved.status, generation + 1, owner, createdAt, now, purge, moved.events,
                progress.restartTeardown(), rosterSince);
    }

    /**
     * Asks the worker to try a Failed pool's work again, as a new generation: a failed provision is accepted
     * anew, a failed teardown deletes again.
     */
    public Pool retry(Caller caller, Instant now) {
        if (status != PoolStatus.Failed) {
            throw new IllegalStateException("pool " + name + " is " + status + ", only a Failed pool is retried");
        }
        boolean teardown = progress.failure() != null && progress.failure().work() == WorkItem.Kind.teardown;
        Pool moved = move(teardown ? PoolStatus.Deleting : PoolStatus.Accepted, "Retry requested by "
                + caller.name(), now, PoolEvent.Source.requester);
        return new Pool(name, spec, moved.status, generation + 1, owner, createdAt, now, purgeData, moved.events,
                teardown ? progress.restartTeardown() : progress.restart(), rosterSince);
    }

    /**
     * New scaling rules (bounds, seats, idle timeout, schedule): the same generation, since nothing needs
     * deploying; the scaler reads them on its next tick.
     */
    public Pool changeScaling(PoolSpec next, Caller caller, Instant now) {
        Pool noted = note(PoolEvent.Source.requester, PoolEvent.Kind.action, "Scaling rules changed by "
                + caller.name(), now);
        return new Pool(name, next, status, generation, owner, createdAt, now, purgeData, noted.events, progress,
                rosterSince);
    }

    public Pool withProgress(Progress next) {
        return new Pool(name, spec, status, generation, owner, createdAt, updatedAt, purgeData, events, next,
                rosterSince);
    }

    /** The worker's progress recorded, with the status it leads to and, when that changes, an event saying why. */
    public Pool advance(PoolStatus next, Progress nextProgress, String reason, Instant now) {
        Pool moved = next == status ? this : next == PoolStatus.Failed
                ? withEvent(next, reason, now, PoolEvent.Source.worker, PoolEvent.Kind.failure).checkedFrom(this)
                : move(next, reason, now, PoolEvent.Source.worker);
        return new Pool(name, spec, moved.status, generation, owner, createdAt, now, purgeData, moved.events,
                nextProgress, rosterSince);
    }

    /** The same status with an event that says why something happened, e.g. a work message sent again. */
    public Pool note(PoolEvent.Source source, PoolEvent.Kind kind, String reason, Instant now) {
        return withEvent(status, reason, now, source, kind);
    }

    /** As the worker moves a pool (the API's own moves say their caller). */
    public Pool moveTo(PoolStatus next, String reason, Instant now) {
        return move(next, reason, now, PoolEvent.Source.worker);
    }

    private Pool move(PoolStatus next, String reason, Instant now, PoolEvent.Source source) {
        return withEvent(next, reason, now, source, PoolEvent.Kind.state).checkedFrom(this);
    }

    /** This pool, if {@code before} could move to its status; the one rule of which moves there are. */
    private Pool checkedFrom(Pool before) {
        if (!before.status.canMoveTo(status)) {
            throw new IllegalStateException("pool " + name + " cannot move from " + before.status + " to " + status);
        }
        return this;
    }

    private Pool withEvent(PoolStatus next, String reason, Instant now, PoolEvent.Source source, PoolEvent.Kind kind) {
        List<PoolEvent> history = new ArrayList<>(events);
        history.add(new PoolEvent(now, next, reason, source, kind));
        if (history.size() > MAX_EVENTS) {
            history.subList(1, history.size() - MAX_EVENTS + 1).clear();
        }
        return new Pool(name, spec, next, generation, owner, createdAt, now, purgeData, history, progress,
                rosterSince);
    }

    /** Whether a delete request would change anything: not when the same teardown is already asked for or done. */
    public boolean needsTeardown(boolean purge) {
        boolean teardownAsked = status == PoolStatus.Deleting || status == PoolStatus.Deleted;
        return !teardownAsked || (purge && !purgeData);
    }

    public WorkItem currentWork() {
        return switch (status) {
            case Deleting -> WorkItem.teardown(name, generation, purgeData).atPass(progress.pass());
            default -> WorkItem.provision(name, generation).atPass(progress.pass());
        };
    }
}
