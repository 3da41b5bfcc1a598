package org.dsvmpools.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.rest.PagedResponse;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolPage;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;

/**
 * {@link PoolRepository} on Azure Table Storage: one entity per pool in a single partition (pools are few, and
 * one partition keeps listing in name order), every replace conditional on the ETag read. The table is created
 * on first write, not at start-up, so a cold start costs no extra round-trip. The limits' ledger is one more entity
 * of that partition ({@link #LEDGER_ROW}, after every pool name), so a pool and the ledger are written in one entity
 * group transaction: both or neither.
 */
public final class TablePoolRepository implements PoolRepository {
    public static final String DEFAULT_TABLE = "pools";
    private static final int STATUS_NOT_FOUND = 404;
    private static final int STATUS_CONFLICT = 409;
    private static final int STATUS_PRECONDITION_FAILED = 412;

    /** The ledger's row: '~' sorts after every character a pool name may have, and no pool name holds one. */
    static final String LEDGER_ROW = "~limits";

    private final TableClient table;

    public TablePoolRepository(TableClient table) {
        this.table = table;
    }

    @Override
    public Optional<StoredPool> find(PoolName name) {
        try {
            TableEntity entity = table.getEntity(PoolEntities.PARTITION, name.value());
            return Optional.of(stored(entity));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == STATUS_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void create(Pool pool) {
        insert(PoolEntities.toEntity(pool), true);
    }

    private void insert(TableEntity entity, boolean mayCreateTable) {
        try {
            table.createEntity(entity);
        } catch (TableServiceException e) {
            if (isTableMissing(e) && mayCreateTable) {
                Tables.ensure(table);
                insert(entity, false);
            } else if (e.getResponse().getStatusCode() == STATUS_CONFLICT) {
                throw new AlreadyExistsException(new PoolName(entity.getRowKey()), e);
            } else {
                throw e;
            }
        }
    }


    @Override
    public void replace(StoredPool current, Pool next) {
        TableEntity entity = PoolEntities.toEntity(next).addProperty("odata.etag", current.etag());
        try {
            table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null, null);
        } catch (TableServiceException e) {
            int status = e.getResponse().getStatusCode();
            if (status == STATUS_PRECONDITION_FAILED || status == STATUS_NOT_FOUND) {
                throw new StaleRecordException(next.name(), e);
            }
            throw e;
        }
    }

    @Override
    public LimitsVersion limitsVersion() {
        for (int tried = 0; ; tried++) {
            try {
                return new LimitsVersion(table.getEntity(PoolEntities.PARTITION, LEDGER_ROW).getETag());
            } catch (TableServiceException e) {
                if (tried > 1 || e.getResponse().getStatusCode() != STATUS_NOT_FOUND) {
                    throw e;
                }
                // The first change that counts makes the ledger (and the table); one made at the same moment wins.
                makeLedger(true);
            }
        }
    }

    private void makeLedger(boolean mayCreateTable) {
        try {
            table.createEntity(ledger(""));
        } catch (TableServiceException e) {
            if (isTableMissing(e) && mayCreateTable) {
                Tables.ensure(table);
                makeLedger(false);
            } else if (e.getResponse().getStatusCode() != STATUS_CONFLICT) {
                throw e;
            }
        }
    }

    /** The ledger, last moved by a change of {@code pool}: its content is for a reader; only its ETag counts. */
    private static TableEntity ledger(String pool) {
        return new TableEntity(PoolEntities.PARTITION, LEDGER_ROW).addProperty("LastChangeOf", pool);
    }

    @Override
    public void create(Pool pool, LimitsVersion seen) {
        transact(pool.name(), new TableTransactionAction(TableTransactionActionType.CREATE,
                PoolEntities.toEntity(pool)), seen);
    }

    @Override
    public void replace(StoredPool current, Pool next, LimitsVersion seen) {
        transact(next.name(), new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE,
                PoolEntities.toEntity(next).addProperty("odata.etag", current.etag()), true), seen);
    }

    /** The pool's write and the ledger's move from {@code seen}, in one transaction of the partition. */
    private void transact(PoolName name, TableTransactionAction write, LimitsVersion seen) {
        // Only the ledger's ETag matters, which every write moves: the count itself is the pools' own records.
        TableEntity moved = ledger(name.value()).addProperty("odata.etag", seen.etag());
        try {
            table.submitTransaction(List.of(write,
                    new TableTransactionAction(TableTransactionActionType.UPDATE_REPLACE, moved, true)));
        } catch (TableTransactionFailedException e) {
            // The batch answers as a whole; which action failed, and why, are in its error.
            Integer failed = e.getFailedTransactionActionIndex();
            TableErrorCode code = e.getValue() == null ? null : e.getValue().getErrorCode();
            if (failed != null && failed == 1) {
                throw new LimitsMovedException(e);
            }
            if (TableErrorCode.ENTITY_ALREADY_EXISTS.equals(code)) {
                throw new AlreadyExistsException(name, e);
            }
            if (TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED.equals(code)
                    || TableErrorCode.RESOURCE_NOT_FOUND.equals(code)) {
                throw new StaleRecordException(name, e);
            }
            throw e;
        }
    }

    @Override
    public PoolPage list(String continuationToken, int maxPageSize, java.util.Set<PoolStatus> statuses) {
        String filter = "PartitionKey eq '" + PoolEntities.PARTITION + "' and RowKey lt '~'";
        if (!statuses.containsAll(java.util.EnumSet.allOf(PoolStatus.class))) {
            // Status values are the enum's names: nothing a caller typed reaches the filter.
            filter += " and (" + String.join(" or ", statuses.stream().sorted()
                    .map(status -> "Status eq '" + status.name() + "'").toList()) + ")";
        }
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter).setTop(maxPageSize);
        try {
            Iterator<PagedResponse<TableEntity>> pages = table.listEntities(options, null, null)
                    .iterableByPage(decode(continuationToken)).iterator();
            if (!pages.hasNext()) {
                return new PoolPage(List.of(), null);
            }
            PagedResponse<TableEntity> page = pages.next();
            List<Pool> pools = page.getValue().stream().map(PoolEntities::toPool).toList();
            return new PoolPage(pools, encode(page.getContinuationToken()));
        } catch (HttpResponseException e) {
            if (isTableMissing(e)) {
                return new PoolPage(List.of(), null);
            }
            throw e;
        }
    }

    @Override
    public List<StoredPool> findUnchangedSince(PoolStatus status, Instant before) {
        String filter = "PartitionKey eq '" + PoolEntities.PARTITION + "' and Status eq '" + status.name()
                + "' and UpdatedAt lt datetime'" + DateTimeFormatter.ISO_INSTANT.format(before) + "'";
        try {
            return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                    .map(TablePoolRepository::stored)
                    .toList();
        } catch (HttpResponseException e) {
            if (isTableMissing(e)) {
                return List.of();
            }
            throw e;
        }
    }

    private static StoredPool stored(TableEntity entity) {
        return new StoredPool(PoolEntities.toPool(entity), entity.getETag());
    }

    /**
     * A query's pages are fetched lazily, and the Tables SDK then throws its implementation's error type, not a
     * {@link TableServiceException}: both are recognised by status and code.
     */
    private static boolean isTableMissing(HttpResponseException e) {
        if (e instanceof TableServiceException tables) {
            return tables.getValue() != null && TableErrorCode.TABLE_NOT_FOUND.equals(tables.getValue().getErrorCode());
        }
        return e.getResponse() != null && e.getResponse().getStatusCode() == STATUS_NOT_FOUND
                && String.valueOf(e.getMessage()).contains(TableErrorCode.TABLE_NOT_FOUND.toString());
    }

    /**
     * Our tokens wrap the table's opaque "nextPartitionKey;nextRowKey" pair. The query's filter pins the partition,
     * so a doctored token can at most skip pools, never reach other data.
     */
    private static String encode(String tableToken) {
        return tableToken == null
                ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(tableToken.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        if (token == null) {
            return null;
        }
        String tableToken;
        try {
            tableToken = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidContinuationException("continuation token is not one this service issued");
        }
        if (tableToken.indexOf(';') < 1) {
            throw new InvalidContinuationException("continuation token is not one this service issued");
        }
        return tableToken;
    }
}
