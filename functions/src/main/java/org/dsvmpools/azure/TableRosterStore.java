package org.dsvmpools.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dsvmpools.onboarding.Manifest;
import org.dsvmpools.onboarding.Member;
import org.dsvmpools.onboarding.MemberState;
import org.dsvmpools.onboarding.RosterStore;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;

/**
 * {@link RosterStore} in a Table: partition the pool, row the user name, every change conditional on the ETag
 * read. The pool's uid counter is a row of its own ({@code ~uid}, which no user name can be), taken by insert or
 * ETag-conditional update.
 */
public final class TableRosterStore implements RosterStore {
    private static final String COUNTER = "~uid";
    static final int UID_BLOCK = 128;
    static final int TRANSACTION_LIMIT = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TableClient table;
    private final Tables.OnFirstUse creation;
    private final Map<PoolName, UidBlock> blocks = new ConcurrentHashMap<>();
    private final Map<PoolName, GroupCommit<Member, Boolean>> creations = new ConcurrentHashMap<>();

    public TableRosterStore(TableClient table) {
        this.table = table;
        this.creation = new Tables.OnFirstUse(table);
    }

    @Override
    public Optional<Stored> find(PoolName pool, LinuxUserName name) {
        creation.ensure();
        return entity(pool, name.value()).map(e -> new Stored(member(e), e.getETag()));
    }

    @Override
    public List<Member> list(PoolName pool) {
        creation.ensure();
        List<Member> members = new ArrayList<>();
        for (TableEntity entity : table.listEntities(new ListEntitiesOptions()
                .setFilter("PartitionKey eq '" + pool.value() + "'"), null, Context.NONE)) {
            if (!entity.getRowKey().equals(COUNTER)) {
                members.add(member(entity));
            }
        }
        return members;
    }

    /**
     * Concurrent creations in one pool share a Table transaction (entity group transaction, up to
     * {@link #TRANSACTION_LIMIT} entities of one partition): a class arriving at once costs a request per batch,
     * not per user.
     */
    @Override
    public void create(PoolName pool, Member member) {
        creation.ensure();
        if (!creations.computeIfAbsent(pool, p -> new GroupCommit<>(TRANSACTION_LIMIT))
                .run(member, batch -> createAll(pool, batch))) {
            throw new AlreadyExistsException(pool, member.name());
        }
    }

    /**
     * Creates the batch's entries in as few transactions as it takes. A transaction fails as a whole, naming the
     * entity that failed it: that one is created on its own (which tells an existing entry from a fault), and the
     * rest go again. A user twice in one batch is created on their own after it.
     */
    private List<Boolean> createAll(PoolName pool, List<Member> batch) {
        Boolean[] created = new Boolean[batch.size()];
        List<Integer> together = new ArrayList<>();
        Set<LinuxUserName> names = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            if (names.add(batch.get(i).name())) {
                together.add(i);
            }
        }
        while (together.size() > 1) {
            try {
                table.submitTransaction(together.stream().map(i -> new TableTransactionAction(
                        TableTransactionActionType.CREATE, entity(pool, batch.get(i)))).toList());
                together.forEach(i -> created[i] = true);
                together.clear();
            } catch (TableTransactionFailedException failed) {
                Integer which = failed.getFailedTransactionActionIndex();
                int one = together.remove(which == null ? 0 : which.intValue());
                created[one] = createOne(pool, batch.get(one));
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (created[i] == null) {
                created[i] = createOne(pool, batch.get(i));
            }
        }
        return Arrays.asList(created);
    }

    private boolean createOne(PoolName pool, Member member) {
        try {
            table.createEntity(entity(pool, member));
            return true;
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public String replace(PoolName pool, Stored current, Member next) {
        TableEntity entity = entity(pool, next).addProperty("odata.etag", current.etag());
        try {
            return etag(table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null,
                    Context.NONE));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 412 || e.getResponse().getStatusCode() == 404) {
                throw new StaleEntryException(pool, next.name(), e);
            }
            throw e;
        }
    }

    /**
     * The version a write answered with. Azurite 3.37 drops the closing quote of a weak ETag in write responses
     * ({@code W/"datetime'...'}), which it then refuses in If-Match; the quote is put back.
     */
    private static String etag(com.azure.core.http.rest.Response<?> response) {
        String etag = response.getHeaders().getValue(HttpHeaderName.ETAG);
        return etag != null && etag.startsWith("W/\"") && !etag.endsWith("\"") ? etag + "\"" : etag;
    }

    /**
     * Uids are taken from the pool's counter a block at a time and handed out from memory: one counter update per
     * {@link #UID_BLOCK} onboardings instead of one contended update each. A block's unused uids are skipped when
     * the app instance stops; uids stay unique, only not dense.
     */
    @Override
    public int allocateUid(PoolName pool) {
        return blocks.computeIfAbsent(pool, p -> new UidBlock()).next(() -> reserve(pool, UID_BLOCK));
    }

    private static final class UidBlock {
        private int next;
        private int end;

        synchronized int next(java.util.function.IntSupplier reserve) {
            if (next >= end) {
                next = reserve.getAsInt();
                end = next + UID_BLOCK;
            }
            return next++;
        }
    }

    /** Moves the counter on by {@code count} and returns the first uid of the block taken. */
    private int reserve(PoolName pool, int count) {
        creation.ensure();
        while (true) {
            Optional<TableEntity> counter = entity(pool, COUNTER);
            try {
                if (counter.isEmpty()) {
                    table.createEntity(new TableEntity(pool.value(), COUNTER).addProperty("Next",
                            Manifest.FIRST_UID + count));
                    return Manifest.FIRST_UID;
                }
                int next = ((Number) counter.get().getProperty("Next")).intValue();
                TableEntity taken = new TableEntity(pool.value(), COUNTER).addProperty("Next", next + count)
                        .addProperty("odata.etag", counter.get().getETag());
                table.updateEntityWithResponse(taken, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
                return next;
            } catch (TableServiceException raced) {
                int status = raced.getResponse().getStatusCode();
                if (status != 409 && status != 412) {
                    throw raced;
                }
                // Another onboarding took this uid: read the counter again.
            }
        }
    }

    private Optional<TableEntity> entity(PoolName pool, String row) {
        try {
            return Optional.of(table.getEntity(pool.value(), row));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static TableEntity entity(PoolName pool, Member member) {
        TableEntity entity = new TableEntity(pool.value(), member.name().value())
                .addProperty("Uid", member.uid())
                .addProperty("State", member.state().name())
                .addProperty("ChangedAt", Tables.dateTime(member.changedAt()));
        // Ten keys of 4,096 characters, as NewUserJson allows, pass the 32K characters of one property (#27).
        Tables.putChunked(entity, "SshPublicKeys", JSON.valueToTree(member.sshPublicKeys()).toString());
        optional(entity, "Email", member.email());
        optional(entity, "DisplayName", member.displayName());
        optional(entity, "EntraObjectId", member.entraObjectId());
        optional(entity, "Archive", member.archive());
        if (member.attempt() != null) {
            entity.addProperty("LastFailure", member.attempt().failure())
                    .addProperty("FailedAt", Tables.dateTime(member.attempt().at()))
                    .addProperty("Attempts", member.attempt().count())
                    .addProperty("RetryAt", Tables.dateTime(member.attempt().retryAt()));
        }
        return entity;
    }

    private static void optional(TableEntity entity, String property, String value) {
        if (value != null) {
            entity.addProperty(property, value);
        }
    }

    private static Member.Attempt attempt(TableEntity entity) {
        if (!(entity.getProperty("RetryAt") instanceof OffsetDateTime retryAt)) {
            return null;
        }
        return new Member.Attempt((String) entity.getProperty("LastFailure"),
                ((OffsetDateTime) entity.getProperty("FailedAt")).toInstant(),
                ((Number) entity.getProperty("Attempts")).intValue(), retryAt.toInstant());
    }

    private static Member member(TableEntity entity) {
        try {
            List<String> keys = new ArrayList<>();
            String stored = Tables.chunked(entity, "SshPublicKeys");
            // Entries written before the keys were chunked hold them in one property.
            JSON.readTree(stored != null ? stored : (String) entity.getProperty("SshPublicKeys"))
                    .forEach(key -> keys.add(key.asText()));
            return new Member(new LinuxUserName(entity.getRowKey()), (String) entity.getProperty("Email"),
                    (String) entity.getProperty("DisplayName"), keys, (String) entity.getProperty("EntraObjectId"),
                    ((Number) entity.getProperty("Uid")).intValue(),
                    MemberState.valueOf((String) entity.getProperty("State")),
                    ((OffsetDateTime) entity.getProperty("ChangedAt")).toInstant(),
                    (String) entity.getProperty("Archive"), attempt(entity));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored roster entry " + entity.getRowKey() + " is unreadable", e);
        }
    }
}
