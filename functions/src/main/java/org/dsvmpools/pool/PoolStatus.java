package org.dsvmpools.pool;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a pool. Only the transitions listed here happen; anything else is a bug in the caller and fails
 * loudly rather than writing a history nobody can explain.
 */
public enum PoolStatus {
    Accepted, Provisioning, Ready, Failed, Deleting, Deleted;

    public boolean canMoveTo(PoolStatus next) {
        return successors().contains(next);
    }

    private Set<PoolStatus> successors() {
        return switch (this) {
            case Accepted -> EnumSet.of(Provisioning, Failed, Deleting);
            case Provisioning -> EnumSet.of(Ready, Failed, Deleting);
            case Ready -> EnumSet.of(Provisioning, Deleting);
            case Failed -> EnumSet.of(Accepted, Provisioning, Deleting);
            case Deleting -> EnumSet.of(Deleted, Failed);
            case Deleted -> EnumSet.of(Accepted, Deleting);
        };
    }
}
