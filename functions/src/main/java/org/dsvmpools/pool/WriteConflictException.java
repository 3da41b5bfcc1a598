package org.dsvmpools.pool;

/**
 * A conditional write that lost to another writer: the record exists already, or changed since it was read.
 * Every port that writes conditionally reports its conflicts so, and {@link OnConflict} reads and decides again.
 */
public abstract class WriteConflictException extends RuntimeException {
    protected WriteConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
