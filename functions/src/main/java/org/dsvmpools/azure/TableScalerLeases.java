package org.dsvmpools.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.scaling.ScalerLeases;

/**
 * {@link ScalerLeases} as one Table entity per pool ({@code Holder}, {@code ExpiresAt}), taken with an insert or
 * an ETag-conditional replace, so that of two evaluations racing for a pool exactly one wins, whichever app
 * instance they run on.
 */
public final class TableScalerLeases implements ScalerLeases {
    private static final String PARTITION = "lease";

    private final TableClient table;
    private final Tables.OnFirstUse creation;

    public TableScalerLeases(TableClient table) {
        this.table = table;
        this.creation = new Tables.OnFirstUse(table);
    }

    @Override
    public boolean tryAcquire(PoolName pool, String holder, Instant now, Duration period) {
        creation.ensure();
        TableEntity lease = new TableEntity(PARTITION, pool.value()).addProperty("Holder", holder)
                .addProperty("ExpiresAt", Tables.dateTime(now.plus(period)));
        TableEntity current = find(pool);
        try {
            if (current == null) {
                table.createEntity(lease);
                return true;
            }
            Instant expires = ((OffsetDateTime) current.getProperty("ExpiresAt")).toInstant();
            if (expires.isAfter(now) && !holder.equals(current.getProperty("Holder"))) {
                return false;
            }
            lease.addProperty("odata.etag", current.getETag());
            table.updateEntityWithResponse(lease, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
            return true;
        } catch (TableServiceException lostTheRace) {
            int status = lostTheRace.getResponse().getStatusCode();
            if (status == 409 || status == 412 || status == 404) {
                return false;
            }
            throw lostTheRace;
        }
    }

    @Override
    public void release(PoolName pool, String holder) {
        TableEntity current = find(pool);
        if (current == null || !holder.equals(current.getProperty("Holder"))) {
            return;
        }
        try {
            table.deleteEntityWithResponse(current, true, null, Context.NONE);
        } catch (TableServiceException changedMeanwhile) {
            // Expired and taken by another evaluation: it is theirs now.
        }
    }

    private TableEntity find(PoolName pool) {
        try {
            return table.getEntity(PARTITION, pool.value());
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
