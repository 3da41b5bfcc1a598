package org.dsvmpools.scaling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;

/**
 * {@code POST /api/pools/{name}/wake}: asks for seats now. The request goes to a queue whose trigger runs the
 * scaler for the pool at once; the answer says when the capacity should be there.
 */
public final class Wake {
    /** A deallocated standby instance starts in about 90 s; the trigger picks the request up within seconds. */
    static final Duration EXPECTED_START = Duration.ofSeconds(95);

    private final PoolRepository repository;
    private final WakeRequests requests;
    private final Clock clock;

    public Wake(PoolRepository repository, WakeRequests requests, Clock clock) {
        this.repository = repository;
        this.requests = requests;
        this.clock = clock;
    }

    /** What became of a wake request. */
    public sealed interface Result {
        record Queued(Pool pool, int seats, Instant expectedReadyAt) implements Result {
        }

        record NotFound(PoolName name) implements Result {
        }

        record NotReady(Pool pool) implements Result {
        }

        record TooManySeats(Pool pool, int seats, int most) implements Result {
        }
    }

    /** @param seats how many seats, or empty for one instance's worth */
    public Result wake(PoolName name, Optional<Integer> seats) {
        Optional<StoredPool> found = repository.find(name);
        if (found.isEmpty()) {
            return new Result.NotFound(name);
        }
        Pool pool = found.get().pool();
        if (pool.status() != PoolStatus.Ready) {
            return new Result.NotReady(pool);
        }
        int asked = seats.orElse(pool.spec().usersPerInstance());
        int most = pool.spec().capacity().max() * pool.spec().usersPerInstance();
        if (asked > most) {
            return new Result.TooManySeats(pool, asked, most);
        }
        requests.send(new WakeRequest(name, asked));
        return new Result.Queued(pool, asked, clock.instant().plus(EXPECTED_START));
    }
}
