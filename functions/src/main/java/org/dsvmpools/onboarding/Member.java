package org.dsvmpools.onboarding;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.dsvmpools.pool.LinuxUserName;

/**
 * One user of one pool, as the roster records it.
 *
 * @param uid       the Linux uid every instance gives the account: fixed at first onboarding, kept for good, so a
 *                  returning user owns their files again
 * @param changedAt the event time of the last change applied: an older event for the user changes nothing
 * @param archive   where the folder went when the user was removed, or null
 */
public record Member(LinuxUserName name, String email, String displayName, List<String> sshPublicKeys,
                     String entraObjectId, int uid, MemberState state, Instant changedAt, String archive) {
    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(changedAt, "changedAt");
        sshPublicKeys = List.copyOf(sshPublicKeys);
    }

    public String folder() {
        return UserFolders.notebooks(name);
    }

    Member with(MemberState next, Instant at, String archiveTo) {
        return new Member(name, email, displayName, sshPublicKeys, entraObjectId, uid, next, at, archiveTo);
    }
}
