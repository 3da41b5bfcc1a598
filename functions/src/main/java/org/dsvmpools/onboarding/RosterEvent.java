package org.dsvmpools.onboarding;

import java.time.Instant;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;

/** One delivered event, read: what it asks for, or why it asks for nothing. */
public sealed interface RosterEvent {
    String id();

    record UserAdded(String id, Instant time, PoolName pool, NewUser user) implements RosterEvent {
    }

    record UserRemoved(String id, Instant time, PoolName pool, LinuxUserName name) implements RosterEvent {
    }

    /** Microsoft Graph says a group changed; the event does not say how, so its members are read again. */
    record GroupUpdated(String id, Instant time, String groupId) implements RosterEvent {
    }

    /** An event type this function does not handle: acknowledged, so that Event Grid does not retry it. */
    /**
     * Graph's notice about a subscription itself: {@code reauthorizationRequired}, {@code subscriptionRemoved} or
     * {@code missed} (changes Graph could not deliver); {@code groupId} when the notice names the group.
     */
    record SubscriptionLifecycle(String id, Instant time, String subscriptionId, String lifecycleEvent,
                                 String groupId) implements RosterEvent {
    }

    record Ignored(String id, String type) implements RosterEvent {
    }

    /** An event that cannot be read: acknowledged and logged with its reason, changing nothing. */
    record Malformed(String id, String reason) implements RosterEvent {
    }
}
