package org.dsvmpools.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolPage;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;

/** A {@link PoolRepository} in memory, with the same conditional-write contract as the table adapter. */
public final class InMemoryPoolRepository implements PoolRepository {
    private final Map<String, StoredPool> pools = new ConcurrentSkipListMap<>();
    private final AtomicLong versions = new AtomicLong();

    @Override
    public Optional<StoredPool> find(PoolName name) {
        return Optional.ofNullable(pools.get(name.value()));
    }

    @Override
    public void create(Pool pool) {
        StoredPool stored = new StoredPool(pool, nextEtag());
        if (pools.putIfAbsent(pool.name().value(), stored) != null) {
            throw new AlreadyExistsException(pool.name(), null);
        }
    }

    @Override
    public void replace(StoredPool current, Pool next) {
        StoredPool updated = new StoredPool(next, nextEtag());
        boolean replaced = pools.computeIfPresent(next.name().value(),
                (name, stored) -> stored.etag().equals(current.etag()) ? updated : stored) == updated;
        if (!replaced) {
            throw new StaleRecordException(next.name(), null);
        }
    }

    /** The ledger's version; a change that counted against the limits moves it together with its pool's write. */
    private long ledger;

    @Override
    public synchronized LimitsVersion limitsVersion() {
        return new LimitsVersion("L" + ledger);
    }

    @Override
    public synchronized void create(Pool pool, LimitsVersion seen) {
        checkLedger(seen);
        create(pool);
        ledger++;
    }

    @Override
    public synchronized void replace(StoredPool current, Pool next, LimitsVersion seen) {
        checkLedger(seen);
        replace(current, next);
        ledger++;
    }

    private void checkLedger(LimitsVersion seen) {
        if (!seen.etag().equals("L" + ledger)) {
            throw new LimitsMovedException(null);
        }
    }

    @Override
    public PoolPage list(String continuationToken, int maxPageSize, java.util.Set<org.dsvmpools.pool.PoolStatus> statuses) {
        String after = continuationToken == null ? "" : decode(continuationToken);
        List<Pool> page = new ArrayList<>();
        String last = null;
        for (Map.Entry<String, StoredPool> entry : pools.entrySet()) {
            if (!statuses.contains(entry.getValue().pool().status())) {
                continue;
            }
            if (entry.getKey().compareTo(after) >= 0 && page.size() < maxPageSize) {
                page.add(entry.getValue().pool());
            } else if (page.size() == maxPageSize && last == null) {
                last = entry.getKey();
            }
        }
        return new PoolPage(page, last == null ? null : encode(last));
    }

    @Override
    public List<StoredPool> findUnchangedSince(PoolStatus status, Instant before) {
        return pools.values().stream()
                .filter(stored -> stored.pool().status() == status && stored.pool().updatedAt().isBefore(before))
                .toList();
    }

    private String nextEtag() {
        return "W/\"" + versions.incrementAndGet() + "\"";
    }

    private static String encode(String next) {
        return Base64.getUrlEncoder().encodeToString(("next:" + next).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith("next:")) {
                return text.substring("next:".length());
            }
        } catch (IllegalArgumentException e) {
            // reported below, like any other token this repository did not issue
        }
        throw new InvalidContinuationException("continuation token is not one this service issued");
    }
}
