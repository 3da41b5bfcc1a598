package org.dsvmpools.onboarding;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.dsvmpools.pool.LinuxUserName;

/** The port to a pool's Azure Files share: directories, moves, and the roster manifest the agents read. */
public interface PoolShare {
    /** Creates each directory in order; one that exists already is fine. */
    void ensureDirectories(ShareRef share, List<String> paths);

    /** Renames a directory; when {@code from} is gone, there is nothing (left) to move, which is fine. */
    void move(ShareRef share, String from, String to);

    /**
     * Sets these members' entries in the manifest ({@link Manifest#apply}) while holding its lease, so that writers
     * take turns. Returns once a write that includes them has succeeded.
     */
    void updateManifest(ShareRef share, List<Member> changes);

    /** Replaces the manifest by one of exactly {@code members}, under its lease: the repair of an unreadable one. */
    void rebuildManifest(ShareRef share, List<Member> members);

    /** When each user's entry in the manifest was changed ({@link Manifest#changeTimes}), read without the lease. */
    Map<LinuxUserName, Instant> published(ShareRef share);

    /** What went wrong in a sentence's part for the user's record, never the service's raw answer. */
    default String explain(RuntimeException failure) {
        return failure.getClass().getSimpleName();
    }

    /**
     * The share refused the app: its role on the storage account has not taken effect yet (Azure RBAC takes up to
     * ten minutes after the assignment), or the account's firewall does not admit the app's subnet.
     */
    final class AccessDeniedException extends RuntimeException {
        public AccessDeniedException(String code, Throwable cause) {
            super("the pool's share refused the app (403 " + code + "): its role may not have taken effect yet,"
                    + " or the storage firewall does not admit the app's subnet", cause);
        }
    }
}
