package org.dsvmpools.pool;

import java.util.function.Supplier;

/** The one retry loop for conditional writes: an attempt reads, decides and writes; a lost race runs it again. */
public final class OnConflict {
    /** Enough for a burst of writers on one record; more means something keeps rewriting it. */
    public static final int ATTEMPTS = 8;

    private OnConflict() {
    }

    /**
     * Runs {@code attempt} until it ends without a write conflict.
     *
     * @throws WriteConflictException the last attempt's, when every attempt lost its write
     */
    public static <T> T retry(Supplier<T> attempt) {
        for (int tried = 1; ; tried++) {
            try {
                return attempt.get();
            } catch (WriteConflictException lostRace) {
                if (tried >= ATTEMPTS) {
                    throw lostRace;
                }
            }
        }
    }
}
