package org.dsvmpools.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One session of a trace: a user who wants a seat from {@code start} and works until {@code end}. */
public record TraceSession(String user, Instant start, Instant end) {
    public TraceSession {
        Objects.requireNonNull(user, "user");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("session of " + user + " ends before it starts: " + start + " " + end);
        }
    }

    Duration length() {
        return Duration.between(start, end);
    }
}
