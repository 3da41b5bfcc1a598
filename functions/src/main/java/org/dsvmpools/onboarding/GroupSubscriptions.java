package org.dsvmpools.onboarding;

import java.time.Instant;
import java.util.List;

/**
 * The port to Microsoft Graph's change subscriptions on groups, which send a group's changes to the app's Event
 * Grid partner topic. Graph forgets a subscription when it expires (groups: under 29 days), so the app keeps them.
 */
public interface GroupSubscriptions {
    record Subscription(String id, String groupId, Instant expires) {
    }

    /** The app's subscriptions on groups. */
    List<Subscription> list();

    Subscription create(String groupId, Instant expires);

    /** A later expiry; Graph takes it as reauthorization too. */
    void renew(String subscriptionId, Instant expires);

    void delete(String subscriptionId);

    /** The latest expiry Graph accepts for a subscription on a group made {@code at}. */
    static Instant longest(Instant at) {
        // Graph's maximum for groups is 41,760 minutes; a little less, so clock skew never makes it refuse.
        return at.plus(java.time.Duration.ofMinutes(41_760 - 60));
    }
}
