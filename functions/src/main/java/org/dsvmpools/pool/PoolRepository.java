package org.dsvmpools.pool;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where pool records live: one record per pool, every write conditional, so two writers never silently
 * overwrite each other. Verbs as the Azure SDK guidelines use them: {@code create} fails when the record exists.
 */
public interface PoolRepository {

    Optional<StoredPool> find(PoolName name);

    /**
     * Stores a new record. Returns nothing: the next conditional write must start from {@link #find}, which is
     * what every caller does anyway after losing a race.
     *
     * @throws AlreadyExistsException when a record of that name exists
     */
    void create(Pool pool);

    /** Replaces {@code current} by {@code next}. @throws StaleRecordException when the record changed since read. */
    void replace(StoredPool current, Pool next);

    /**
     * The version of the limits' ledger (#27): every change that may take more of a limit (a new pool, a deleted
     * one's name requested again, a PATCH) reads it before counting the pools, and is written only together with
     * moving it ({@link #create(Pool, LimitsVersion)}, {@link #replace(StoredPool, Pool, LimitsVersion)}), in one
     * atomic write. Two such changes at once cannot both count the same pools: the second one's write fails and it
     * counts again, so the limits hold exactly however many requests arrive at once.
     */
    LimitsVersion limitsVersion();

    /** As {@link #create(Pool)}, and moves the ledger from {@code seen}, both or neither. */
    void create(Pool pool, LimitsVersion seen);

    /** As {@link #replace(StoredPool, Pool)}, and moves the ledger from {@code seen}, both or neither. */
    void replace(StoredPool current, Pool next, LimitsVersion seen);

    /** The ledger as read: an opaque version. */
    record LimitsVersion(String etag) {
    }

    /** @param maxPageSize 1-1000; @param continuationToken from the previous page, or {@code null} */
    default PoolPage list(String continuationToken, int maxPageSize) {
        return list(continuationToken, maxPageSize, java.util.EnumSet.allOf(PoolStatus.class));
    }

    /**
     * The pools in one of {@code statuses}, filtered where they are stored, so a page holds at most
     * {@code maxPageSize} of them and may hold fewer (a continuation token then says there is more to read).
     */
    PoolPage list(String continuationToken, int maxPageSize, java.util.Set<PoolStatus> statuses);

    /** The pools in {@code status} whose last update is older than {@code before}. */
    List<StoredPool> findUnchangedSince(PoolStatus status, Instant before);

    /** Thrown by {@link #create} when the name is taken. */
    final class AlreadyExistsException extends WriteConflictException {
        public AlreadyExistsException(PoolName name, Throwable cause) {
            super("pool " + name + " already exists", cause);
        }
    }

    /** Thrown by {@link #replace} when another writer got there first: read again and redo the step. */
    final class StaleRecordException extends WriteConflictException {
        public StaleRecordException(PoolName name, Throwable cause) {
            super("pool " + name + " was changed by another writer", cause);
        }
    }

    /** Thrown when another change that counted against the limits was written since the ledger was read. */
    final class LimitsMovedException extends WriteConflictException {
        public LimitsMovedException(Throwable cause) {
            super("another change counted against the limits meanwhile", cause);
        }
    }

    /** Thrown by {@link #list} for a continuation token it did not issue. */
    final class InvalidContinuationException extends RuntimeException {
        public InvalidContinuationException(String message) {
            super(message);
        }
    }
}
