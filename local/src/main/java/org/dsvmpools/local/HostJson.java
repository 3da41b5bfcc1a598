package org.dsvmpools.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;

/** The parts of host.json the local host honours, with the Functions host's defaults. */
record HostJson(String routePrefix, Queues queues) {

    record Queues(int batchSize, int newBatchThreshold, Duration visibilityTimeout, int maxDequeueCount,
                  Duration maxPollingInterval, boolean base64) {
    }

    static HostJson read(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            JsonNode extensions = root.path("extensions");
            JsonNode queues = extensions.path("queues");
            int batchSize = queues.path("batchSize").asInt(16);
            return new HostJson(
                    extensions.path("http").path("routePrefix").asText("api"),
                    new Queues(batchSize,
                            queues.path("newBatchThreshold").asInt(batchSize / 2),
                            duration(queues.path("visibilityTimeout"), Duration.ZERO),
                            queues.path("maxDequeueCount").asInt(5),
                            duration(queues.path("maxPollingInterval"), Duration.ofMinutes(1)),
                            !queues.path("messageEncoding").asText("base64").equalsIgnoreCase("none")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** host.json writes durations as {@code hh:mm:ss}. */
    private static Duration duration(JsonNode node, Duration defaultValue) {
        return node.isMissingNode() ? defaultValue
                : Duration.ofNanos(LocalTime.parse(node.asText()).toNanoOfDay());
    }
}
