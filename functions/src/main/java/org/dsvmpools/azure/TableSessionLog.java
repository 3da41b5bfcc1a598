package org.dsvmpools.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.scaling.SessionLog;

/**
 * {@link SessionLog} in a Table: a partition per pool and user ({@code <pool>|<user>}, neither name can hold a
 * {@code |}); the open session on an instance is the row {@code open~<instance>}, and ending it writes
 * {@code done~<instance>~<began>} and deletes the open row, so a portal read of a week is one partition query.
 */
public final class TableSessionLog implements SessionLog {
    private static final String OPEN = "open~";
    private static final String DONE = "done~";

    private final TableClient table;
    private final Tables.OnFirstUse creation;

    public TableSessionLog(TableClient table) {
        this.table = table;
        this.creation = new Tables.OnFirstUse(table);
    }

    @Override
    public void began(PoolName pool, String user, String instanceId, Instant at) {
        creation.ensure();
        table.upsertEntityWithResponse(new TableEntity(partition(pool, user), OPEN + instanceId)
                .addProperty("Instance", instanceId).addProperty("Began", Tables.dateTime(at)),
                TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }

    @Override
    public void ended(PoolName pool, String user, String instanceId, Instant at) {
        creation.ensure();
        TableEntity open;
        try {
            open = table.getEntity(partition(pool, user), OPEN + instanceId);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return;
            }
            throw e;
        }
        Instant began = ((OffsetDateTime) open.getProperty("Began")).toInstant();
        Instant ended = at.isBefore(began) ? began : at;
        table.upsertEntityWithResponse(new TableEntity(partition(pool, user), DONE + instanceId + "~"
                + began.toEpochMilli()).addProperty("Instance", instanceId).addProperty("Began", Tables.dateTime(began))
                .addProperty("Ended", Tables.dateTime(ended)), TableEntityUpdateMode.REPLACE, null, Context.NONE);
        try {
            table.deleteEntity(open);
        } catch (TableServiceException raced) {
            // Begun again meanwhile (a new ETag) or already gone: the newer row stands.
            if (raced.getResponse().getStatusCode() != 412 && raced.getResponse().getStatusCode() != 404) {
                throw raced;
            }
        }
    }

    @Override
    public List<Span> of(PoolName pool, String user, Instant from) {
        creation.ensure();
        List<Span> spans = new ArrayList<>();
        String filter = "PartitionKey eq '" + partition(pool, user) + "' and (RowKey ge '" + OPEN + "' or Ended ge"
                + " datetime'" + from + "')";
        for (TableEntity entity : table.listEntities(new ListEntitiesOptions().setFilter(filter), null, Context.NONE)) {
            Object ended = entity.getProperty("Ended");
            spans.add(new Span((String) entity.getProperty("Instance"),
                    ((OffsetDateTime) entity.getProperty("Began")).toInstant(),
                    ended instanceof OffsetDateTime end ? end.toInstant() : null));
        }
        return spans;
    }

    private static String partition(PoolName pool, String user) {
        return pool.value() + "|" + user;
    }
}
