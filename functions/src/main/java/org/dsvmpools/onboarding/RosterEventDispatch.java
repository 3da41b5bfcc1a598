package org.dsvmpools.onboarding;

/**
 * One roster event to the use case it asks for, and what came of it, for the log. Unknown types, unknown pools
 * and malformed events are answered, never failed: Event Grid would retry them for a day. Only a pool still being
 * deployed asks for the event again.
 */
public final class RosterEventDispatch {
    private final Onboarding onboarding;
    private final RosterSync rosterSync;

    public RosterEventDispatch(Onboarding onboarding, RosterSync rosterSync) {
        this.onboarding = onboarding;
        this.rosterSync = rosterSync;
    }

    /** Thrown when the event's pool is still being deployed: the trigger fails so Event Grid delivers it again. */
    public static final class DeliverAgainException extends RuntimeException {
        DeliverAgainException(String message) {
            super(message);
        }
    }

    /** @throws DeliverAgainException when the event should come again later */
    public String handle(RosterEvent event) {
        Onboarding.Outcome outcome;
        if (event instanceof RosterEvent.UserAdded added) {
            outcome = onboarding.add(added.pool(), added.user(), added.time());
        } else if (event instanceof RosterEvent.UserRemoved removed) {
            outcome = onboarding.remove(removed.pool(), removed.name(), removed.time());
        } else if (event instanceof RosterEvent.GroupUpdated group) {
            return "group " + group.groupId() + " changed: " + rosterSync.groupChanged(group.groupId(), group.time());
        } else if (event instanceof RosterEvent.SubscriptionLifecycle notice) {
            return "subscription " + notice.subscriptionId() + " " + notice.lifecycleEvent() + ": "
                    + rosterSync.subscriptionNotice(notice);
        } else if (event instanceof RosterEvent.Ignored ignored) {
            return "type '" + ignored.type() + "' is not handled here, ignored";
        } else {
            return "malformed, ignored: " + ((RosterEvent.Malformed) event).reason();
        }
        if (outcome instanceof Onboarding.Outcome.PoolNotReady notReady) {
            throw new DeliverAgainException("pool " + notReady.pool() + " is " + notReady.status()
                    + "; Event Grid will deliver the event again");
        }
        return describe(outcome);
    }

    private static String describe(Onboarding.Outcome outcome) {
        if (outcome instanceof Onboarding.Outcome.Done done) {
            return "user " + done.member().name() + " is " + done.member().state();
        }
        if (outcome instanceof Onboarding.Outcome.Unchanged unchanged) {
            return "user " + unchanged.member().name() + " unchanged: " + unchanged.why();
        }
        if (outcome instanceof Onboarding.Outcome.NoPool noPool) {
            return noPool.why() + ", ignored";
        }
        if (outcome instanceof Onboarding.Outcome.NameTaken taken) {
            return "name " + taken.name() + " belongs to another user of the pool, refused; give the user a name";
        }
        if (outcome instanceof Onboarding.Outcome.RosterFull full) {
            return "pool " + full.pool() + " has " + full.maxUsers() + " users, its most; refused";
        }
        return outcome.toString();
    }
}
