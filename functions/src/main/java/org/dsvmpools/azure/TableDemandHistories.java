package org.dsvmpools.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.scaling.DemandHistories;
import org.dsvmpools.scaling.DemandHistory;

/**
 * {@link DemandHistories} as a ring of {@link DemandHistory#WINDOW_DAYS} Table entities per pool: the row of a
 * day is its epoch day modulo the window, so a new day overwrites the one eight weeks before it, and a pool never
 * has more than 56 rows (about 1 KB each) and no row is ever deleted. One upsert per tick.
 */
public final class TableDemandHistories implements DemandHistories {
    private final TableClient table;
    private final Tables.OnFirstUse creation;

    public TableDemandHistories(TableClient table) {
        this.table = table;
        this.creation = new Tables.OnFirstUse(table);
    }

    @Override
    public DemandHistory find(PoolName pool, ZoneId zone) {
        List<DemandHistory.Day> days = new ArrayList<>();
        try {
            for (TableEntity entity : table.listEntities(new ListEntitiesOptions()
                    .setFilter("PartitionKey eq '" + pool.value() + "'"), null, null)) {
                days.add(new DemandHistory.Day(LocalDate.parse((String) entity.getProperty("Date")),
                        numbers((String) entity.getProperty("PeakUsers")),
                        numbers((String) entity.getProperty("Arrivals"))));
            }
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() != 404) {
                throw e;
            }
        }
        return new DemandHistory(zone, days);
    }

    @Override
    public void save(PoolName pool, DemandHistory.Day day) {
        creation.ensure();
        table.upsertEntityWithResponse(new TableEntity(pool.value(), row(day.date()))
                .addProperty("Date", day.date().toString())
                .addProperty("PeakUsers", text(day.peakUsers()))
                .addProperty("Arrivals", text(day.arrivals())), TableEntityUpdateMode.REPLACE, null, null);
    }

    static String row(LocalDate date) {
        return String.format("day%02d", Math.floorMod(date.toEpochDay(), DemandHistory.WINDOW_DAYS));
    }

    private static String text(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static int[] numbers(String text) {
        return Arrays.stream(text.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
