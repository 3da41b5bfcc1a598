package org.dsvmpools.functions;

import java.util.Optional;
import org.dsvmpools.door.DoorPorts;
import org.dsvmpools.door.RosterEntry;
import org.dsvmpools.door.Seats;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.dsvmpools.onboarding.MemberState;
import org.dsvmpools.onboarding.NewUserJson;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.pool.FieldError;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.onboarding.RosterStore;
import org.dsvmpools.pool.WorkQueue;
import org.dsvmpools.scaling.PowerState;
import org.dsvmpools.scaling.Metered;
import org.dsvmpools.scaling.ScalingSnapshots;
import org.dsvmpools.scaling.SessionLog;
import org.dsvmpools.scaling.UsageReport;
import org.dsvmpools.scaling.UsageReports;
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
                member.email(), member.entraObjectId(), member.state() != MemberState.Removed,
                !member.sshPublicKeys().isEmpty())).toList();
    }

    /**
     * An agent reports a minute after boot and every minute after: one heard from within this long is running,
     * and so is the hub it was started after.
     */
    static final java.time.Duration ANSWERING_WITHIN = java.time.Duration.ofMinutes(3);

    /** The scaler's last view of the instances, with which of them their agents reported from lately. */
    static DoorPorts.PoolSeats seats(ScalingSnapshots snapshots, UsageReports reports, java.time.Clock clock) {
        return pool -> snapshots.find(pool).map(snapshot -> {
            java.util.Map<String, UsageReport> latest = reports.latest(pool);
            java.time.Instant since = clock.instant().minus(ANSWERING_WITHIN);
            return new Seats(snapshot.at(), snapshot.instances().stream()
                    .map(instance -> new Seats.InstanceSeats(instance.power() == PowerState.Running,
                            latest.containsKey(instance.id()) && latest.get(instance.id()).reportedAt().isAfter(since),
                            instance.power() == PowerState.Creating || instance.power() == PowerState.Starting,
                            instance.drainingSince() != null, instance.users().size())).toList(),
                    snapshot.failure() == null ? null : snapshot.failure().reason());
        });
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

    /**
     * A user's sessions since {@code from}: the ended ones as logged; an open one up to its instance's latest
     * report (an instance stopped with its user on it ends the session there), else up to now.
     */
    static DoorPorts.UserSessions userSessions(SessionLog log, UsageReports reports, java.time.Clock clock) {
        return (pool, user, from) -> {
            java.util.List<SessionLog.Span> spans = log.of(pool, user, from);
            java.util.Map<String, UsageReport> latest = spans.stream().anyMatch(span -> span.ended() == null)
                    ? reports.latest(pool) : java.util.Map.of();
            java.time.Instant now = clock.instant();
            java.time.Duration total = java.time.Duration.ZERO;
            for (SessionLog.Span span : spans) {
                java.time.Instant end = span.ended() != null ? span.ended()
                        : java.util.Optional.ofNullable(latest.get(span.instanceId())).map(UsageReport::reportedAt)
                        .orElse(now);
                java.time.Instant begin = span.began().isBefore(from) ? from : span.began();
                if (end.isAfter(begin)) {
                    total = total.plus(java.time.Duration.between(begin, end));
                }
            }
            return new DoorPorts.UserSessions.Summary(spans.size(), total);
        };
    }

    /** This month's instance-hours from the scaler's snapshot; a month it has not counted in yet is zero so far. */
    static DoorPorts.PoolHours hours(ScalingSnapshots snapshots, java.time.Clock clock) {
        return pool -> snapshots.find(pool).map(snapshot -> {
            java.time.YearMonth month = java.time.YearMonth.from(clock.instant().atZone(java.time.ZoneOffset.UTC));
            Metered metered = snapshot.metered();
            return new DoorPorts.PoolHours.Hours(month, metered != null && metered.month().equals(month)
                    ? metered.instanceHours() : 0);
        });
    }

    static DoorPorts.PoolActivity activity(ScalingSnapshots snapshots) {
        return pool -> snapshots.find(pool).map(snapshot -> new DoorPorts.PoolActivity.Activity(snapshot.at(),
                snapshot.instances().stream().map(instance -> new DoorPorts.PoolActivity.InstanceView(instance.id(),
                        instance.power().name(), instance.users(), instance.drainingSince() != null)).toList(),
                snapshot.forecast() == null ? java.util.List.of() : snapshot.forecast().next().stream()
                        .map(slot -> new DoorPorts.PoolActivity.ForecastSlot(slot.at(), slot.users())).toList(),
                snapshot.forecast() == null ? 0 : snapshot.forecast().historyDays(),
                snapshot.failure() == null ? null : snapshot.failure().reason()));
    }

    /**
     * The portal's roster changes, through onboarding as {@code POST/DELETE /api/pools/{name}/users} do: the new
     * user read by the same reader as the API's body (so the same rules, the same derived name).
     */
    static DoorPorts.RosterChanges rosterChanges(Onboarding onboarding, java.time.Clock clock) {
        return new DoorPorts.RosterChanges() {
            @Override
            public Change add(PoolName pool, String email) {
                NewUserJson.Result user = NewUserJson.read(JsonNodeFactory.instance.objectNode().put("email", email),
                        "");
                if (!user.isValid()) {
                    return new Change(false, email + ": " + String.join("; ", user.errors().stream()
                            .map(FieldError::message).toList()) + ".");
                }
                return said(onboarding.add(pool, user.user(), clock.instant()), "added");
            }

            @Override
            public Change remove(PoolName pool, String name) {
                if (LinuxUserName.problem(name).isPresent() || onboarding.lacksUser(pool, new LinuxUserName(name))) {
                    return new Change(false, "Pool " + pool + " has no user " + name + ".");
                }
                return said(onboarding.remove(pool, new LinuxUserName(name), clock.instant()), "removed");
            }
        };
    }

    private static DoorPorts.RosterChanges.Change said(Onboarding.Outcome outcome, String verb) {
        if (outcome instanceof Onboarding.Outcome.Done done) {
            return new DoorPorts.RosterChanges.Change(true, done.member().name() + " " + verb + ".");
        }
        if (outcome instanceof Onboarding.Outcome.Unchanged unchanged) {
            return new DoorPorts.RosterChanges.Change(true, unchanged.member().name() + ": nothing to change ("
                    + unchanged.why() + ").");
        }
        if (outcome instanceof Onboarding.Outcome.PoolNotReady notReady) {
            return new DoorPorts.RosterChanges.Change(false, "The pool is " + notReady.status()
                    + "; its users change once it is Ready.");
        }
        if (outcome instanceof Onboarding.Outcome.NameTaken taken) {
            return new DoorPorts.RosterChanges.Change(false, "The name " + taken.name() + " belongs to "
                    + taken.email() + ".");
        }
        if (outcome instanceof Onboarding.Outcome.RosterFull full) {
            return new DoorPorts.RosterChanges.Change(false, "The pool has its most users (" + full.maxUsers()
                    + "); remove someone first.");
        }
        return new DoorPorts.RosterChanges.Change(false, ((Onboarding.Outcome.NoPool) outcome).why() + ".");
    }
}
