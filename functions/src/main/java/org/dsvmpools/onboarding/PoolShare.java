package org.dsvmpools.onboarding;

import java.util.List;
import java.util.function.UnaryOperator;

/** The port to a pool's Azure Files share: directories, moves, and the roster manifest the agents read. */
public interface PoolShare {
    /** Creates each directory in order; one that exists already is fine. */
    void ensureDirectories(ShareRef share, List<String> paths);

    /** Renames a directory; when {@code from} is gone, there is nothing (left) to move, which is fine. */
    void move(ShareRef share, String from, String to);

    /**
     * Changes the manifest while holding its lease, so that writers take turns: {@code change} gets the current
     * contents (empty when there are none yet) and returns the new ones. Returns once a write that includes the
     * change has succeeded.
     */
    void updateManifest(ShareRef share, UnaryOperator<byte[]> change);
}
