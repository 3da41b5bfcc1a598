package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.onboarding.RosterEvent;
import org.dsvmpools.onboarding.RosterEvents;

/**
 * Event Grid trigger, one event per invocation, in either schema: {@code DsvmPools.UserAdded} and
 * {@code DsvmPools.UserRemoved}, and Microsoft Graph's {@code Microsoft.Graph.GroupUpdated} (through a partner
 * topic), on which the pools whose roster is that group follow its members again. Unknown types, unknown pools and malformed events are acknowledged and logged
 * with the event's id and the reason, never failed: Event Grid would retry them for a day. Only a pool still
 * being deployed fails the invocation, so that Event Grid delivers the event again later.
 */
public final class OnboardUsersFunction {
    private final App app;

    public OnboardUsersFunction() {
        this(App.get());
    }

    OnboardUsersFunction(App app) {
        this.app = app;
    }

    @FunctionName("OnboardUsers")
    public void run(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
        RosterEvent read = RosterEvents.read(event);
        String line = "event " + read.id() + ": " + handle(read);
        context.getLogger().info(line);
    }

    private String handle(RosterEvent event) {
        Onboarding.Outcome outcome;
        if (event instanceof RosterEvent.UserAdded added) {
            outcome = app.onboarding().add(added.pool(), added.user(), added.time());
        } else if (event instanceof RosterEvent.UserRemoved removed) {
            outcome = app.onboarding().remove(removed.pool(), removed.name(), removed.time());
        } else if (event instanceof RosterEvent.GroupUpdated group) {
            return "group " + group.groupId() + " changed: " + app.rosterSync().groupChanged(group.groupId(),
                    group.time());
        } else if (event instanceof RosterEvent.Ignored ignored) {
            return "type '" + ignored.type() + "' is not handled here, ignored";
        } else {
            return "malformed, ignored: " + ((RosterEvent.Malformed) event).reason();
        }
        if (outcome instanceof Onboarding.Outcome.PoolNotReady notReady) {
            throw new IllegalStateException("pool " + notReady.pool() + " is " + notReady.status()
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
        return outcome.toString();
    }
}
