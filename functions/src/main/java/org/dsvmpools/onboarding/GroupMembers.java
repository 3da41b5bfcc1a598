package org.dsvmpools.onboarding;

import java.util.List;

/** The port to Microsoft Graph: a group's members, read whole (Graph's events do not say what changed). */
public interface GroupMembers {
    /** A member as Graph lists it: object id, mail (or user principal name) and display name. */
    record Member(String objectId, String email, String displayName) {
    }

    /** @throws GroupNotFoundException when Graph knows no such group */
    List<Member> members(String groupId);

    final class GroupNotFoundException extends RuntimeException {
        public GroupNotFoundException(String groupId) {
            super("Microsoft Graph has no group " + groupId);
        }
    }
}
