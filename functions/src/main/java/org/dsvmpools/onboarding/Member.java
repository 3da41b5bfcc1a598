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
                     String entraObjectId, int uid, MemberState state, Instant changedAt, String archive,
                     Attempt attempt) {
    public Member {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(changedAt, "changedAt");
        sshPublicKeys = List.copyOf(sshPublicKeys);
    }

    public Member(LinuxUserName name, String email, String displayName, List<String> sshPublicKeys,
                  String entraObjectId, int uid, MemberState state, Instant changedAt, String archive) {
        this(name, email, displayName, sshPublicKeys, entraObjectId, uid, state, changedAt, archive, null);
    }

    /**
     * The last change failed half-way (its folder or the manifest could not be written, Azure Files or Graph being
     * down): why, how often, and when the recovery timer tries it again. Null once nothing failed since the change.
     */
    public record Attempt(String failure, Instant at, int count, Instant retryAt) {
        /** The first retry comes a minute after a failure, each later one twice as late, at most this late. */
        static final java.time.Duration MAX_BACKOFF = java.time.Duration.ofMinutes(15);

        static Attempt after(Attempt previous, String failure, Instant now) {
            int count = previous == null ? 1 : previous.count() + 1;
            java.time.Duration wait = java.time.Duration.ofMinutes(1L << Math.min(count - 1, 4));
            return new Attempt(failure, now, count, now.plus(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait));
        }

        boolean dueAt(Instant now) {
            return !now.isBefore(retryAt);
        }
    }

    Member withAttempt(Attempt next) {
        return new Member(name, email, displayName, sshPublicKeys, entraObjectId, uid, state, changedAt, archive, next);
    }

    /** What an addition of this user asked for, to be done again. */
    NewUser asNewUser() {
        return new NewUser(name, email, displayName, sshPublicKeys, entraObjectId);
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
