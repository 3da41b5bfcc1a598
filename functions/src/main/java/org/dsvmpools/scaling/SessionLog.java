package org.dsvmpools.scaling;

import java.time.Instant;
import java.util.List;
import org.dsvmpools.pool.PoolName;

/**
 * Who used a pool when: one session per user and instance, from the first report that shows them to the last,
 * written only when one begins or ends (two or three requests a session, nothing on the reports between), for
 * the portal's "your sessions this week".
 */
public interface SessionLog {
    void began(PoolName pool, String user, String instanceId, Instant at);

    /** Ends the user's open session on the instance, if there is one, at {@code at}. */
    void ended(PoolName pool, String user, String instanceId, Instant at);

    /** The user's sessions on the pool that ended at or after {@code from}, and those still open. */
    List<Span> of(PoolName pool, String user, Instant from);

    /** @param ended null while it is open */
    record Span(String instanceId, Instant began, Instant ended) {
    }

    /** For a composition that keeps no sessions. */
    SessionLog NONE = new SessionLog() {
        @Override
        public void began(PoolName pool, String user, String instanceId, Instant at) {
        }

        @Override
        public void ended(PoolName pool, String user, String instanceId, Instant at) {
        }

        @Override
        public List<Span> of(PoolName pool, String user, Instant from) {
            return List.of();
        }
    };
}
