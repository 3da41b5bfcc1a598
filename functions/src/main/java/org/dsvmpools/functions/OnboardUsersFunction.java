package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import org.dsvmpools.onboarding.RosterEventDispatch;
import org.dsvmpools.onboarding.RosterEvents;

/**
 * Event Grid trigger, one event per invocation, in either schema: {@code DsvmPools.UserAdded},
 * {@code DsvmPools.UserRemoved}, and Microsoft Graph's {@code Microsoft.Graph.GroupUpdated} (through a partner
 * topic). What each means is {@link RosterEventDispatch}'s; the invocation fails only when it asks for the event
 * again.
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
        var read = RosterEvents.read(event, app.clock().instant());
        context.getLogger().info("event " + read.id() + ": " + app.rosterEvents().handle(read));
    }
}
