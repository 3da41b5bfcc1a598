package org.dsvmpools.emulator;

import java.time.Instant;

/**
 * A long-running operation as ARM reports it at its Azure-AsyncOperation URL: InProgress until {@code doneAt},
 * then Succeeded (after {@code onDone} ran, once) or Failed with the error {@code onDone} raised.
 */
final class Operation {
    final String id;
    final Instant doneAt;
    private final Runnable onDone;
    private String status = "InProgress";
    private ArmError error;

    Operation(String id, Instant doneAt, Runnable onDone) {
        this.id = id;
        this.doneAt = doneAt;
        this.onDone = onDone;
    }

    /** Status now; completes the operation the first time it is asked after {@code doneAt}. */
    String status(Instant now) {
        if (status.equals("InProgress") && !now.isBefore(doneAt)) {
            try {
                onDone.run();
                status = "Succeeded";
            } catch (ArmError e) {
                status = "Failed";
                error = e;
            }
        }
        return status;
    }

    ArmError error() {
        return error;
    }
}
