package org.dsvmpools.onboarding;

import java.util.List;
import java.util.function.Supplier;

/** The port to a pool's Azure Files share: directories, moves, and the roster manifest the agents read. */
public interface PoolShare {
    /** Creates each directory in order; one that exists already is fine. */
    void ensureDirectories(ShareRef share, List<String> paths);

    /** Renames a directory; when {@code from} is gone and {@code to} exists, the move was done before. */
    void move(ShareRef share, String from, String to);

    /**
     * Replaces the manifest while holding its lease, so that writers take turns. The contents are computed
     * after the lease is taken: the last writer writes what the roster holds after every earlier change.
     */
    void writeManifest(ShareRef share, Supplier<byte[]> contents);
}
