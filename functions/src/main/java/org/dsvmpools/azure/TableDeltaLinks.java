package org.dsvmpools.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.util.Optional;
import org.dsvmpools.onboarding.DeltaLinks;

/** {@link DeltaLinks} in a Table: one entity per group. A delta link is an opaque URL, so it is stored whole. */
public final class TableDeltaLinks implements DeltaLinks {
    private static final String PARTITION = "group";

    private final TableClient table;
    private final Tables.OnFirstUse creation;

    public TableDeltaLinks(TableClient table) {
        this.table = table;
        this.creation = new Tables.OnFirstUse(table);
    }

    @Override
    public Optional<String> find(String groupId) {
        return text(PARTITION, groupId, "DeltaLink");
    }

    private Optional<String> text(String partition, String row, String property) {
        creation.ensure();
        try {
            return Optional.ofNullable((String) table.getEntity(partition, row).getProperty(property));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Kept in the same table as the links, in a partition of its own. */
    private static final String RUN_PARTITION = "run";
    private static final String RUN_ROW = "daily";

    @Override
    public Optional<String> dailyRunCursor() {
        return text(RUN_PARTITION, RUN_ROW, "LastPool");
    }

    @Override
    public void saveDailyRunCursor(String lastPool) {
        creation.ensure();
        table.upsertEntityWithResponse(new TableEntity(RUN_PARTITION, RUN_ROW).addProperty("LastPool", lastPool),
                TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }

    /** The last writer wins: two syncs of one group that race both end at a link no older than where they began. */
    @Override
    public void save(String groupId, String deltaLink) {
        creation.ensure();
        table.upsertEntityWithResponse(new TableEntity(PARTITION, groupId).addProperty("DeltaLink", deltaLink),
                TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }
}
