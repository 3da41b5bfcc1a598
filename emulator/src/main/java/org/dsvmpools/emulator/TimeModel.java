package org.dsvmpools.emulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long things take in the emulator: Azure's typical durations multiplied by a time scale, so a demo at
 * scale 1 sees minutes and a test at 0.001 sees the same state sequence in milliseconds.
 */
public record TimeModel(Clock clock, double scale) {
    static final Duration CREATE_INSTANCE = Duration.ofSeconds(240);
    static final Duration START_INSTANCE = Duration.ofSeconds(90);
    static final Duration DEALLOCATE_INSTANCE = Duration.ofSeconds(60);
    static final Duration DELETE_INSTANCE = Duration.ofSeconds(60);
    static final Duration CREATE_RESOURCE = Duration.ofSeconds(20);

    public TimeModel {
        if (scale <= 0) {
            throw new IllegalArgumentException("time scale must be positive");
        }
    }

    Instant now() {
        return clock.instant();
    }

    /** When something taking {@code azureDuration} on Azure, started now, is done here. */
    Instant after(Duration azureDuration) {
        return now().plusNanos((long) (azureDuration.toNanos() * scale));
    }

    /** Emulated seconds between two real instants: the meter runs in Azure time, not in scaled time. */
    double azureSeconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9 / scale;
    }
}
