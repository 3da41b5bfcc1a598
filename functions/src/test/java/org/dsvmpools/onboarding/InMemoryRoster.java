package org.dsvmpools.onboarding;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;

/** The roster port in memory, with versions standing in for ETags. */
final class InMemoryRoster implements RosterStore {
    private final Map<String, Stored> entries = new TreeMap<>();
    private final AtomicInteger uids = new AtomicInteger(Manifest.FIRST_UID);
    private int version;

    private static String key(PoolName pool, LinuxUserName name) {
        return pool.value() + "/" + name.value();
    }

    @Override
    public synchronized Optional<Stored> find(PoolName pool, LinuxUserName name) {
        return Optional.ofNullable(entries.get(key(pool, name)));
    }

    @Override
    public synchronized List<Member> list(PoolName pool) {
        List<Member> members = new ArrayList<>();
        entries.forEach((key, stored) -> {
            if (key.startsWith(pool.value() + "/")) {
                members.add(stored.member());
            }
        });
        return members;
    }

    @Override
    public synchronized void create(PoolName pool, Member member) {
        if (entries.containsKey(key(pool, member.name()))) {
            throw new AlreadyExistsException(pool, member.name());
        }
        entries.put(key(pool, member.name()), new Stored(member, "" + ++version));
    }

    @Override
    public synchronized String replace(PoolName pool, Stored current, Member next) {
        Stored now = entries.get(key(pool, next.name()));
        if (now == null || !now.etag().equals(current.etag())) {
            throw new StaleEntryException(pool, next.name(), null);
        }
        Stored stored = new Stored(next, "" + ++version);
        entries.put(key(pool, next.name()), stored);
        return stored.etag();
    }

    @Override
    public int allocateUid(PoolName pool) {
        return uids.getAndIncrement();
    }
}
