package org.dsvmpools.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Session traces as CSV: {@code user,start,end} with ISO-8601 instants, and the conversion from what real
 * systems export, logon/logoff event logs ({@code time,user,event} with {@code Logon}/{@code Logoff}).
 */
public final class Traces {
    private Traces() {
    }

    public static List<TraceSession> readSessions(Path csv) throws IOException {
        List<TraceSession> sessions = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("user,"))) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != 3) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": expected user,start,end");
            }
            sessions.add(new TraceSession(fields[0].trim(), instant(csv, i, fields[1]), instant(csv, i, fields[2])));
        }
        sessions.sort(Comparator.comparing(TraceSession::start));
        return sessions;
    }

    public static String toCsv(List<TraceSession> sessions) {
        StringBuilder csv = new StringBuilder("user,start,end\n");
        for (TraceSession session : sessions) {
            csv.append(session.user()).append(',').append(session.start()).append(',').append(session.end())
                    .append('\n');
        }
        return csv.toString();
    }

    /**
     * Pairs each Logon with the same user's next Logoff. A Logoff without a Logon is ignored; a Logon never
     * closed ends at the log's last event, so an export cut mid-session still counts the session.
     */
    public static List<TraceSession> fromLogonEvents(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        Map<String, Instant> open = new HashMap<>();
        List<TraceSession> sessions = new ArrayList<>();
        Instant last = Instant.EPOCH;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || (i == 0 && line.toLowerCase(Locale.ROOT).startsWith("time,"))) {
                continue;
            }
            String[] fields = line.split(",", -1);
            if (fields.length != 3) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + ": expected time,user,event");
            }
            Instant time = instant(csv, i, fields[0]);
            last = time.isAfter(last) ? time : last;
            String user = fields[1].trim();
            switch (fields[2].trim().toLowerCase(Locale.ROOT)) {
                case "logon" -> open.putIfAbsent(user, time);
                case "logoff" -> {
                    Instant start = open.remove(user);
                    if (start != null && time.isAfter(start)) {
                        sessions.add(new TraceSession(user, start, time));
                    }
                }
                default -> throw new IllegalArgumentException(csv + " line " + (i + 1)
                        + ": event must be Logon or Logoff, was " + fields[2]);
            }
        }
        for (Map.Entry<String, Instant> unclosed : open.entrySet()) {
            if (last.isAfter(unclosed.getValue())) {
                sessions.add(new TraceSession(unclosed.getKey(), unclosed.getValue(), last));
            }
        }
        sessions.sort(Comparator.comparing(TraceSession::start).thenComparing(TraceSession::user));
        return sessions;
    }

    private static Instant instant(Path csv, int line, String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(csv + " line " + (line + 1) + ": not an ISO-8601 instant: " + text);
        }
    }
}
