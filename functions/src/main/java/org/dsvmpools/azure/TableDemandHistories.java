package org.dsvmpools.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.core.exception.HttpResponseException;
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
        } catch (HttpResponseException e) {
            // The Tables client's listing throws its generated exception type, not TableServiceException, for a
            // table that does not exist (404 TableNotFound): that is a pool with no history yet.
            if (e.getResponse().getStatusCode() != 404) {
                throw unavailable("read", e);
            }
        } catch (RuntimeException e) {
            throw unavailable("read", e);
        }
        return new DemandHistory(zone, days);
    }

    @Override
    public void save(PoolName pool, DemandHistory.Day day) {
        try {
            creation.ensure();
            table.upsertEntityWithResponse(new TableEntity(pool.value(), row(day.date()))
                    .addProperty("Date", day.date().toString())
                    .addProperty("PeakUsers", text(day.peakUsers()))
                    .addProperty("Arrivals", text(day.arrivals())), TableEntityUpdateMode.REPLACE, null, null);
        } catch (RuntimeException e) {
            throw unavailable("written", e);
        }
    }

    private DemandHistories.UnavailableException unavailable(String verb, RuntimeException e) {
        String status = e instanceof HttpResponseException response && response.getResponse() != null
                ? "Table storage answered " + response.getResponse().getStatusCode() : "Table storage did not answer";
        return new DemandHistories.UnavailableException("the demand history in table '" + table.getTableName()
                + "' could not be " + (verb.equals("read") ? "read" : "written") + " (" + status + ")", e);
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
