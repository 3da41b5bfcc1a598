package org.dsvmpools.functions;

import java.util.Optional;
import org.dsvmpools.door.DoorPorts;
import org.dsvmpools.door.RosterEntry;
import org.dsvmpools.door.Seats;
import org.dsvmpools.onboarding.MemberState;
import org.dsvmpools.onboarding.RosterStore;
import org.dsvmpools.pool.WorkQueue;
import org.dsvmpools.scaling.PowerState;
import org.dsvmpools.scaling.ScalingSnapshots;
import org.dsvmpools.scaling.Wake;

/**
 * The front door's ports over what the other capabilities keep: the roster, the scaler's last view of a pool,
 * and the wake the API offers. The capabilities never see one another; the composition root joins them here.
 */
final class DoorBridges {
    private DoorBridges() {
    }

    /** A Pending user is on the roster: their account is on its way, and the hub says so if they are early. */
    static DoorPorts.Rosters rosters(RosterStore roster) {
        return pool -> roster.list(pool).stream().map(member -> new RosterEntry(member.name().value(),
                member.email(), member.entraObjectId(), member.state() != MemberState.Removed)).toList();
    }

    static DoorPorts.PoolSeats seats(ScalingSnapshots snapshots) {
        return pool -> snapshots.find(pool).map(snapshot -> new Seats(snapshot.at(), snapshot.instances().stream()
                .map(instance -> new Seats.InstanceSeats(instance.power() == PowerState.Running,
                        instance.power() == PowerState.Creating || instance.power() == PowerState.Starting,
                        instance.drainingSince() != null, instance.users().size())).toList(),
                snapshot.failure() == null ? null : snapshot.failure().reason()));
    }

    static DoorPorts.Waker waker(Wake wake) {
        return pool -> {
            Wake.Result result;
            try {
                result = wake.wake(pool, Optional.empty());
            } catch (WorkQueue.WorkQueueException e) {
                return new DoorPorts.Waker.Woken(null, "The request to start it could not be queued. Try again"
                        + " in a minute.");
            }
            if (result instanceof Wake.Result.Queued queued) {
                return new DoorPorts.Waker.Woken(queued.expectedReadyAt(), null);
            }
            if (result instanceof Wake.Result.NotReady notReady) {
                return new DoorPorts.Waker.Woken(null, "Pool " + pool + " is " + notReady.pool().status() + ".");
            }
            if (result instanceof Wake.Result.TooManySeats tooMany) {
                return new DoorPorts.Waker.Woken(null, "Pool " + pool + " has no room for more seats (at most "
                        + tooMany.most() + ").");
            }
            return new DoorPorts.Waker.Woken(null, "There is no pool named " + pool + ".");
        };
    }
}
