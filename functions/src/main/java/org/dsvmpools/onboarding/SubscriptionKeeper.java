package org.dsvmpools.onboarding;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps one Graph subscription for each group a pool follows: made when missing, renewed a week before it
 * expires (the daily run gets seven tries), deleted when no pool follows its group any more. Without a notification
 * target ({@link #UNMANAGED}) it manages nothing and says so: the operator then keeps subscriptions by hand.
 */
public final class SubscriptionKeeper {
    static final Duration RENEW_BEFORE = Duration.ofDays(7);
    public static final SubscriptionKeeper UNMANAGED = new SubscriptionKeeper(null);

    private final GroupSubscriptions subscriptions;

    public SubscriptionKeeper(GroupSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** What was done for the subscriptions of {@code followed} groups, one line each. */
    public List<String> keep(Set<String> followed, Instant now) {
        if (subscriptions == null) {
            return List.of("Graph subscriptions are not managed (DSVMPOOLS_GRAPH_NOTIFICATION_URL is unset)");
        }
        List<String> done = new ArrayList<>();
        Set<String> covered = new HashSet<>();
        // Each subscription and group on its own (#26): one Graph refusal does not leave the others to expire.
        for (GroupSubscriptions.Subscription subscription : subscriptions.list()) {
            boolean unfollowed = !followed.contains(subscription.groupId()) || !covered.add(subscription.groupId());
            isolated(done, "subscription " + subscription.id() + " on group " + subscription.groupId(), () -> {
                if (unfollowed) {
                    subscriptions.delete(subscription.id());
                    return "subscription " + subscription.id() + " on group " + subscription.groupId()
                            + " deleted: no pool follows the group";
                }
                if (subscription.expires().isBefore(now.plus(RENEW_BEFORE))) {
                    Instant until = GroupSubscriptions.longest(now);
                    subscriptions.renew(subscription.id(), until);
                    return "subscription on group " + subscription.groupId() + " renewed until " + until;
                }
                return null;
            });
        }
        for (String group : followed) {
            if (!covered.contains(group)) {
                isolated(done, "the subscription on group " + group, () -> {
                    GroupSubscriptions.Subscription made = subscriptions.create(group,
                            GroupSubscriptions.longest(now));
                    return "subscription " + made.id() + " on group " + group + " made, until " + made.expires();
                });
            }
        }
        return done;
    }

    private static void isolated(List<String> done, String what, java.util.function.Supplier<String> step) {
        try {
            String line = step.get();
            if (line != null) {
                done.add(line);
            }
        } catch (RuntimeException e) {
            done.add(what + " not kept (" + e.getMessage() + "); the next run tries again");
        }
    }

    /** Graph asks for reauthorization: renewing reauthorizes. */
    public String reauthorize(String subscriptionId, Instant now) {
        if (subscriptions == null) {
            return "Graph subscriptions are not managed; renew subscription " + subscriptionId + " by hand";
        }
        subscriptions.renew(subscriptionId, GroupSubscriptions.longest(now));
        return "subscription " + subscriptionId + " renewed";
    }
}
