package org.dsvmpools.onboarding;

import java.util.List;
import java.util.Optional;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;

/** The port to the roster's record: one entry per user and pool, changed only against the version read. */
public interface RosterStore {
    record Stored(Member member, String etag) {
    }

    Optional<Stored> find(PoolName pool, LinuxUserName name);

    List<Member> list(PoolName pool);

    /** @return whether the entry was created: false when the user has an entry already */
    boolean create(PoolName pool, Member member);

    /** @return the entry's new version, or empty when another writer changed it since {@code current} was read */
    Optional<String> replace(PoolName pool, Stored current, Member next);

    /** A uid no other user of the pool has had, from a counter kept beside the roster. */
    int allocateUid(PoolName pool);
}
