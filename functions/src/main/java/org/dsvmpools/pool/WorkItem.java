package org.dsvmpools.pool;

import java.util.Objects;

/**
 * A message on the {@code pool-requests} queue: small and versioned, it names the pool and the generation to act
 * on; the worker reads everything else from the pool record, so a message never carries a stale spec.
 *
 * @param pass which pass of the generation's work this message asks for: 0 from the intake, then the number the
 *             worker recorded before sending the follow-up (see {@link Progress#pass()})
 */
public record WorkItem(int version, Kind kind, PoolName pool, long generation, boolean purgeData, long pass) {
    public static final int VERSION = 1;

    public enum Kind { provision, teardown }

    public WorkItem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pool, "pool");
    }

    public static WorkItem provision(PoolName pool, long generation) {
        return new WorkItem(VERSION, Kind.provision, pool, generation, false, 0);
    }

    public static WorkItem teardown(PoolName pool, long generation, boolean purgeData) {
        return new WorkItem(VERSION, Kind.teardown, pool, generation, purgeData, 0);
    }

    public WorkItem atPass(long number) {
        return new WorkItem(version, kind, pool, generation, purgeData, number);
    }
}
