package org.dsvmpools.onboarding;

import java.util.Optional;

/** Where each roster group's next members delta query starts, and where the daily run goes on from. */
public interface DeltaLinks {
    Optional<String> find(String groupId);

    void save(String groupId, String deltaLink);

    /** The last pool the daily run reconciled: a run cut off by its timeout goes on after it (#26). */
    default Optional<String> dailyRunCursor() {
        return Optional.empty();
    }

    default void saveDailyRunCursor(String lastPool) {
    }
}
