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

    /**
     * Azure Table storage holds at most 64 KiB in one string property (32K UTF-16 characters) and 1 MiB in an
     * entity ("Understanding the Table service data model"); a longer text goes into properties of at most this
     * many characters each, with their count beside them.
     */
    static final int CHUNK_CHARS = 30_000;

    /** Puts {@code text} into {@code column}Parts and {@code column}0, 1, ... */
    static void putChunked(com.azure.data.tables.models.TableEntity entity, String column, String text) {
        int parts = Math.max(1, (text.length() + CHUNK_CHARS - 1) / CHUNK_CHARS);
        entity.addProperty(column + "Parts", parts);
        for (int part = 0; part < parts; part++) {
            int end = Math.min(text.length(), (part + 1) * CHUNK_CHARS);
            entity.addProperty(column + part, text.substring(part * CHUNK_CHARS, end));
        }
    }

    /** The text {@link #putChunked} stored, or null when the entity has none under {@code column}. */
    static String chunked(com.azure.data.tables.models.TableEntity entity, String column) {
        if (!(entity.getProperty(column + "Parts") instanceof Number parts)) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (int part = 0; part < parts.intValue(); part++) {
            text.append((String) entity.getProperty(column + part));
        }
        return text.toString();
    }
}
