package org.dsvmpools.onboarding;

import java.util.List;
import java.util.Optional;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.WriteConflictException;

/** The port to the roster's record: one entry per user and pool, changed only against the version read. */
public interface RosterStore {
    record Stored(Member member, String etag) {
    }

    Optional<Stored> find(PoolName pool, LinuxUserName name);

    List<Member> list(PoolName pool);

    /** @throws AlreadyExistsException when the user has an entry already */
    void create(PoolName pool, Member member);

    /**
     * @return the entry's new version
     * @throws StaleEntryException when another writer changed or removed it since {@code current} was read
     */
    String replace(PoolName pool, Stored current, Member next);

    /** A uid no other user of the pool has had, from a counter kept beside the roster. */
    int allocateUid(PoolName pool);

    /** Thrown by {@link #create}: read the entry and decide again. */
    final class AlreadyExistsException extends WriteConflictException {
        public AlreadyExistsException(PoolName pool, LinuxUserName name) {
            super("user " + name + " of pool " + pool + " has a roster entry already", null);
        }
    }

    /** Thrown by {@link #replace}: read the entry and decide again. */
    final class StaleEntryException extends WriteConflictException {
        public StaleEntryException(PoolName pool, LinuxUserName name, Throwable cause) {
            super("the roster entry of user " + name + " of pool " + pool + " was changed by another writer", cause);
        }
    }
}
