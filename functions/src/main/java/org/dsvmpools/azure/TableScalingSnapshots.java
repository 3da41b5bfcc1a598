package org.dsvmpools.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.scaling.ScalingSnapshot;
import org.dsvmpools.scaling.ScalingSnapshotJson;
import org.dsvmpools.scaling.ScalingSnapshots;

/** {@link ScalingSnapshots} as one Table entity per pool, its JSON in one column (a pool has at most 100 instances). */
public final class TableScalingSnapshots implements ScalingSnapshots {
    private static final String PARTITION = "snapshot";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TableClient table;
    private final Tables.OnFirstUse creation;

    public TableScalingSnapshots(TableClient table) {
        this.table = table;
        this.creation = new Tables.OnFirstUse(table);
    }

    @Override
    public void save(PoolName pool, ScalingSnapshot snapshot) {
        creation.ensure();
        table.upsertEntityWithResponse(new TableEntity(PARTITION, pool.value())
                .addProperty("Snapshot", ScalingSnapshotJson.write(snapshot).toString()),
                TableEntityUpdateMode.REPLACE, null, null);
    }

    @Override
    public Optional<ScalingSnapshot> find(PoolName pool) {
        try {
            TableEntity entity = table.getEntity(PARTITION, pool.value());
            return Optional.of(ScalingSnapshotJson.read(JSON.readTree((String) entity.getProperty("Snapshot"))));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored scaling snapshot of pool " + pool + " is unreadable", e);
        }
    }
}
