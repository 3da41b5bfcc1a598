package org.dsvmpools.azure;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableServiceException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Creating a table that may exist already: the Tables SDK answers 409 then, which is success here. */
final class Tables {
    private Tables() {
    }

    /**
     * An instant as a Table property. Azure Storage takes at most seven digits of fractional seconds, and Java's
     * clock gives nine; times are kept to the microsecond, so what is written is what is read back (Azurite keeps
     * any number of digits, Azure does not).
     */
    static OffsetDateTime dateTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
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
