package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every ARM request the emulator answered, in order: what a benchmark counts, and, for a request that began an
 * operation, how long the emulated Azure takes to finish it.
 */
public final class RequestLog {
    /**
     * @param busy how long the operation this request began takes, in real (scaled) time; zero when it began none
     */
    public record Entry(Instant at, String method, String path, int status, Duration busy) {
    }

    private final List<Entry> entries = new ArrayList<>();

    synchronized void add(Entry entry) {
        entries.add(entry);
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    public synchronized void clear() {
        entries.clear();
    }

    synchronized ArrayNode toJson() {
        ArrayNode array = new ObjectMapper().createArrayNode();
        for (Entry entry : entries) {
            array.addObject().put("at", entry.at().toString()).put("method", entry.method()).put("path", entry.path())
                    .put("status", entry.status()).put("busyMillis", entry.busy().toMillis());
        }
        return array;
    }
}
