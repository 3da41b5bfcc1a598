package org.dsvmpools.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.dsvmpools.door.DoorPorts;

/**
 * {@link DoorPorts.WakeLedger} in a Table: one entity per key (so the table holds one row per pool and user, not
 * per window), with its window's start (windows aligned to the epoch) and count, raised or restarted with an
 * ETag-checked replace, so two instances of the app counting at once never both slip past the limit. Losing a
 * race twice counts as limited: the limit errs on the side of fewer wakes.
 */
public final class TableWakeLedger implements DoorPorts.WakeLedger {
    private static final String PARTITION = "wakes";

    private final TableClient table;
    private final Tables.OnFirstUse creation;

    public TableWakeLedger(TableClient table) {
        this.table = table;
        this.creation = new Tables.OnFirstUse(table);
    }

    @Override
    public Optional<Instant> count(String key, int most, Duration window, Instant now) {
        creation.ensure();
        long size = window.toMillis();
        Instant windowStart = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), size) * size);
        String row = key;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                TableEntity current = find(row);
                if (current == null) {
                    table.createEntity(new TableEntity(PARTITION, row).addProperty("Count", 1)
                            .addProperty("WindowStart", Tables.dateTime(windowStart)));
                    return Optional.empty();
                }
                boolean sameWindow = current.getProperty("WindowStart") instanceof java.time.OffsetDateTime start
                        && start.toInstant().equals(windowStart);
                int counted = sameWindow ? ((Number) current.getProperty("Count")).intValue() : 0;
                if (counted >= most) {
                    return Optional.of(windowStart);
                }
                TableEntity next = new TableEntity(PARTITION, row).addProperty("Count", counted + 1)
                        .addProperty("WindowStart", Tables.dateTime(windowStart))
                        .addProperty("odata.etag", current.getETag());
                table.updateEntityWithResponse(next, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
                return Optional.empty();
            } catch (TableServiceException raced) {
                int status = raced.getResponse().getStatusCode();
                if (status != 409 && status != 412) {
                    throw raced;
                }
            }
        }
        return Optional.of(windowStart);
    }

    private TableEntity find(String row) {
        try {
            return table.getEntity(PARTITION, row);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
