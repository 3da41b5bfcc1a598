package org.dsvmpools.provisioning;

import java.time.Duration;
import org.dsvmpools.pool.PoolStatus;

/** What the worker did with one message, for the log; the pool record holds the lasting part. */
public sealed interface WorkOutcome {

    /** Nothing to do: a stale, duplicate or superseded message, or a pool that no longer wants this work. */
    record Dropped(String reason) implements WorkOutcome {
        static Dropped lostRace() {
            return new Dropped("another delivery of this work recorded its pass first; it carries on");
        }
    }

    /** Work continues in a follow-up message, visible after {@code delay}. */
    record Requeued(PoolStatus status, long pass, Duration delay, String waitingFor) implements WorkOutcome {
    }

    /** The pool reached a settled state; {@code followUp} says what {@link FollowUps} did after Ready or Deleted. */
    record Finished(PoolStatus status, String followUp) implements WorkOutcome {
        public Finished(PoolStatus status) {
            this(status, "");
        }
    }
}
