package org.dsvmpools.onboarding;

import java.util.List;

/**
 * The port to Microsoft Graph: a group's members (users, nested groups' included), read whole, or the changes
 * since a delta link (Graph's change events do not say what changed, and a delta query does).
 */
public interface GroupMembers {
    /** A member as Graph lists it: object id, mail (or user principal name) and display name. */
    record Member(String objectId, String email, String displayName) {
    }

    /**
     * What changed in a group's membership.
     *
     * @param complete  true when this is a full read (no link, an expired one, or a nested group changed):
     *                  {@code added} is then every member, and anyone not in it has left
     * @param deltaLink where the next delta query starts
     */
    record Delta(List<Member> added, List<String> removedObjectIds, boolean complete, String deltaLink) {
        public Delta {
            added = List.copyOf(added);
            removedObjectIds = List.copyOf(removedObjectIds);
        }
    }

    /**
     * @throws GroupNotFoundException when Graph knows no such group
     * @throws GraphException when Graph refuses (permissions) or stays unavailable
     */
    List<Member> members(String groupId);

    /** A delta link from now on, without reading any change: after a full read, where the next delta starts. */
    String latestLink(String groupId);

    /**
     * The members delta query: the changes since {@code deltaLink}, or, when it is null, every member.
     *
     * @throws GroupNotFoundException when Graph knows no such group
     */
    Delta changes(String groupId, String deltaLink);

    /** Graph refused, or stayed throttled or unavailable after its Retry-After: the reason, for the pool. */
    final class GraphException extends RuntimeException {
        public GraphException(String message) {
            super(message);
        }
    }

    final class GroupNotFoundException extends RuntimeException {
        public GroupNotFoundException(String groupId) {
            super("Microsoft Graph has no group " + groupId);
        }
    }
}
