package org.dsvmpools.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableServiceException;

/** Creating a table that may exist already: the Tables SDK answers 409 then, which is success here. */
final class Tables {
    private Tables() {
    }

    static void ensure(TableClient table) {
        try {
            table.createTable();
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() != 409) {
                throw e;
            }
        }
    }

    /** Creates one adapter's table the first time it is needed, then never asks again. */
    static final class OnFirstUse {
        private final TableClient table;
        private volatile boolean created;

        OnFirstUse(TableClient table) {
            this.table = table;
        }

        void ensure() {
            if (!created) {
                Tables.ensure(table);
                created = true;
            }
        }
    }
}
