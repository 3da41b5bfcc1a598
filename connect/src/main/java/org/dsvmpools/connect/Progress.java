package org.dsvmpools.connect;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The one progress line while the pool starts: what the door says it is doing, when it expects a seat, how
 * long this has waited. Rewritten in place on a terminal; elsewhere (a log, ssh's ProxyCommand stderr) a new
 * line only when what it says changes.
 */
final class Progress {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final PrintStream messages;
    private final String pool;
    private final Clock clock;
    private final Instant began;
    private final boolean terminal = System.console() != null;
    private String said = "";
    private boolean open;

    Progress(PrintStream messages, String pool, Clock clock) {
        this.messages = messages;
        this.pool = pool;
        this.clock = clock;
        this.began = clock.instant();
    }

    void show(DoorClient.Answer.Waiting waiting) {
        StringBuilder line = new StringBuilder(pool).append(": ").append(waiting.doing());
        if (!waiting.expectedReadyAt().isEmpty()) {
            try {
                line.append(" Expected ready at ").append(TIME.format(Instant.parse(waiting.expectedReadyAt())
                        .atZone(ZoneId.systemDefault()))).append('.');
            } catch (java.time.format.DateTimeParseException e) {
                line.append(" Expected ready at ").append(waiting.expectedReadyAt()).append('.');
            }
        }
        if (!waiting.problem().isEmpty()) {
            line.append(" (").append(waiting.problem()).append(')');
        }
        String text = line.toString();
        if (terminal) {
            long waited = Duration.between(began, clock.instant()).toSeconds();
            messages.print("\r" + text + " [" + waited / 60 + ":" + String.format("%02d", waited % 60) + "]\033[K");
            messages.flush();
            open = true;
        } else if (!text.equals(said)) {
            messages.println(text);
        }
        said = text;
    }

    /** Ends the line; {@code last} said after it, if any. */
    void done(String last) {
        if (open) {
            messages.println();
            open = false;
        }
        if (last != null) {
            messages.println(pool + ": " + last);
        }
    }
}
