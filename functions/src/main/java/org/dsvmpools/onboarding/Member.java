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

    /**
     * The ways this user gets in: SSH with a key; JupyterHub when the pools' hub signs in with Entra ID and the
     * entry has an identity it maps (the object id or the email). A Removed user has none.
     */
    public List<String> signInWays(boolean hubSignsInWithEntra) {
        if (state == MemberState.Removed) {
            return List.of();
        }
        List<String> ways = new java.util.ArrayList<>();
        if (!sshPublicKeys.isEmpty()) {
            ways.add("ssh");
        }
        if (hubSignsInWithEntra && (entraObjectId != null || email != null)) {
            ways.add("jupyterhub");
        }
        return ways;
    }

    public String folder() {
        return UserFolders.notebooks(name);
    }

    Member with(MemberState next, Instant at, String archiveTo) {
        return new Member(name, email, displayName, sshPublicKeys, entraObjectId, uid, next, at, archiveTo);
    }
}
