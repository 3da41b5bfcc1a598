package org.dsvmpools.azure;

import com.azure.data.tables.models.TableEntity;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolDocuments;
import org.dsvmpools.pool.PoolEvent;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.Progress;
import org.dsvmpools.pool.ProgressJson;

/**
 * Maps a {@link Pool} to one table entity and back. Status and times are columns of their own so that queries
 * can filter on them; spec and history are JSON text, split over numbered columns because one string column
 * holds at most 64 KiB (32K UTF-16 characters) and a spec may be larger.
 */
final class PoolEntities {
    static final String PARTITION = "pool";
    static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PoolEntities() {
    }

    static TableEntity toEntity(Pool pool) {
        TableEntity entity = new TableEntity(PARTITION, pool.name().value())
                .addProperty("SchemaVersion", SCHEMA_VERSION)
                .addProperty("Status", pool.status().name())
                .addProperty("Generation", pool.generation())
                .addProperty("OwnerId", pool.owner().id())
                .addProperty("OwnerName", pool.owner().name())
                .addProperty("CreatedAt", Tables.dateTime(pool.createdAt()))
                .addProperty("UpdatedAt", Tables.dateTime(pool.updatedAt()))
                .addProperty("PurgeData", pool.purgeData());
        if (pool.rosterSince() != null) {
            entity.addProperty("RosterSince", Tables.dateTime(pool.rosterSince()));
        }
        Tables.putChunked(entity, "Spec", PoolSpecJson.write(pool.spec()).toString());
        Tables.putChunked(entity, "Events", PoolDocuments.events(pool.events()).toString());
        Tables.putChunked(entity, "Progress", ProgressJson.write(pool.progress()).toString());
        return entity;
    }

    static Pool toPool(TableEntity entity) {
        PoolSpecJson.ReadResult spec = PoolSpecJson.read(readJson(Tables.chunked(entity, "Spec")));
        if (!spec.isValid()) {
            throw new IllegalStateException("stored spec of pool " + entity.getRowKey() + " is unreadable: "
                    + spec.errors());
        }
        return new Pool(
                new PoolName(entity.getRowKey()),
                spec.spec(),
                PoolStatus.valueOf((String) entity.getProperty("Status")),
                ((Number) entity.getProperty("Generation")).longValue(),
                new Caller.Owner((String) entity.getProperty("OwnerId"), (String) entity.getProperty("OwnerName")),
                instant(entity.getProperty("CreatedAt")),
                instant(entity.getProperty("UpdatedAt")),
                Boolean.TRUE.equals(entity.getProperty("PurgeData")),
                events(readJson(Tables.chunked(entity, "Events"))),
                entity.getProperty("ProgressParts") == null ? Progress.NONE
                        : ProgressJson.read(readJson(Tables.chunked(entity, "Progress"))),
                entity.getProperty("RosterSince") == null ? null : instant(entity.getProperty("RosterSince")));
    }

    private static Instant instant(Object value) {
        return ((OffsetDateTime) value).toInstant();
    }

    private static List<PoolEvent> events(JsonNode array) {
        List<PoolEvent> events = new ArrayList<>();
        for (JsonNode event : array) {
            // Records written before events said who and what kind read as unrecorded state entries.
            events.add(new PoolEvent(Instant.parse(event.get("time").asText()),
                    PoolStatus.valueOf(event.get("status").asText()), event.get("reason").asText(),
                    PoolEvent.Source.valueOf(event.path("source").asText("unrecorded")),
                    PoolEvent.Kind.valueOf(event.path("kind").asText("state"))));
        }
        return events;
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }
}
