package org.dsvmpools.scaling;

import java.time.ZoneId;
import org.dsvmpools.pool.PoolName;

/** Where each pool's {@link DemandHistory} is kept between ticks, and across restarts. */
public interface DemandHistories {
    /** The pool's kept days, read in {@code zone}; an empty history when there are none. */
    DemandHistory find(PoolName pool, ZoneId zone);

    /** Stores one day: the one an observation changed, so a tick writes once per pool. */
    void save(PoolName pool, DemandHistory.Day day);

    /** The store could not be read or written: a sentence for the pool's owner, never the store's own text. */
    final class UnavailableException extends RuntimeException {
        public UnavailableException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
