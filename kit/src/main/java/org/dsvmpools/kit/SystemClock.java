package org.dsvmpools.kit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The one place the system clock is made (#26). The composition roots (the app, the emulator, the local host) and the
 * tests that run them take their clock from here, so a test run can move every one of them ahead at once:
 * {@value #AHEAD_VARIABLE}={@code P60D} in the environment (inherited by every process a test starts) shifts the clock
 * by that ISO-8601 duration, and a rule that compares a fixed date with today's fails in CI before the date comes.
 * Elapsed time ({@code System.nanoTime}) is not shifted. The variable is for test runs; nothing in production sets it.
 */
public final class SystemClock {
    /** The environment variable (or system property of the same name) with the duration to run ahead. */
    public static final String AHEAD_VARIABLE = "DSVMPOOLS_CLOCK_AHEAD";

    private static final Clock UTC = ahead(setting());

    private SystemClock() {
    }

    /** The system clock in UTC, moved ahead by {@value #AHEAD_VARIABLE} when it is set. */
    public static Clock utc() {
        return UTC;
    }

    /** The current instant of {@link #utc()}. */
    public static Instant now() {
        return UTC.instant();
    }

    static Clock ahead(String setting) {
        if (setting == null || setting.isBlank()) {
            return Clock.systemUTC();
        }
        try {
            return Clock.offset(Clock.systemUTC(), Duration.parse(setting.trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(AHEAD_VARIABLE + " is not an ISO-8601 duration such as P60D: " + setting, e);
        }
    }

    private static String setting() {
        String property = System.getProperty(AHEAD_VARIABLE);
        return property != null ? property : System.getenv(AHEAD_VARIABLE);
    }
}
