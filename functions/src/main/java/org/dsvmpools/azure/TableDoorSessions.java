package org.dsvmpools.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.dsvmpools.door.DoorSessions;
import org.dsvmpools.door.IdentityProvider;
import org.dsvmpools.door.SignedInUser;
import org.dsvmpools.door.ReturnPath;

/**
 * {@link DoorSessions} in a Table: sign-ins in flight in partition {@code pending} under their state, taken with
 * an ETag-checked write and then deleted as they are redeemed (of two callbacks with one state, one wins);
 * sessions in partition
 * {@code session} under their key's hash. A session past its expiry is deleted when it is next asked for.
 */
public final class TableDoorSessions implements DoorSessions {
    private static final String PENDING = "pending";
    private static final String SESSION = "session";

    private final TableClient table;
    private final Tables.OnFirstUse creation;

    public TableDoorSessions(TableClient table) {
        this.table = table;
        this.creation = new Tables.OnFirstUse(table);
    }

    @Override
    public void savePending(Pending pending) {
        creation.ensure();
        IdentityProvider.Started started = pending.started();
        table.upsertEntityWithResponse(new TableEntity(PENDING, started.state())
                .addProperty("Authorize", started.authorize().toString()).addProperty("Nonce", started.nonce())
                .addProperty("Verifier", started.verifier()).addProperty("ReturnTo", pending.returnTo().value())
                .addProperty("StartedAt", Tables.dateTime(pending.startedAt())),
                TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }

    @Override
    public Optional<Pending> takePending(String state) {
        Optional<TableEntity> found = find(PENDING, state);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        TableEntity entity = found.get();
        if (Boolean.TRUE.equals(entity.getProperty("Taken"))) {
            return Optional.empty();
        }
        try {
            // Marked taken with the ETag it was read with: of callbacks racing, one wins. (A delete cannot say
            // so: the Tables SDK answers a delete of what is gone as done.)
            TableEntity taken = new TableEntity(PENDING, state).addProperty("Taken", true)
                    .addProperty("odata.etag", entity.getETag());
            table.updateEntityWithResponse(taken, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404 || e.getResponse().getStatusCode() == 412) {
                return Optional.empty();
            }
            throw e;
        }
        table.deleteEntity(PENDING, state);
        return Optional.of(new Pending(new IdentityProvider.Started(URI.create((String) entity.getProperty("Authorize")),
                state, (String) entity.getProperty("Nonce"), (String) entity.getProperty("Verifier")),
                new ReturnPath((String) entity.getProperty("ReturnTo")),
                ((OffsetDateTime) entity.getProperty("StartedAt")).toInstant()));
    }

    @Override
    public void saveSession(String keyHash, Session session) {
        creation.ensure();
        SignedInUser user = session.user();
        table.upsertEntityWithResponse(new TableEntity(SESSION, keyHash).addProperty("ObjectId", user.objectId())
                .addProperty("Email", user.email()).addProperty("SignInName", user.signInName())
                .addProperty("DisplayName", user.displayName())
                .addProperty("Roles", String.join(" ", new java.util.TreeSet<>(user.roles())))
                .addProperty("ExpiresAt", Tables.dateTime(session.expiresAt())),
                TableEntityUpdateMode.REPLACE, null, Context.NONE);
    }

    @Override
    public Optional<Session> session(String keyHash) {
        return find(SESSION, keyHash).map(entity -> new Session(new SignedInUser(
                (String) entity.getProperty("ObjectId"), (String) entity.getProperty("Email"),
                (String) entity.getProperty("SignInName"), (String) entity.getProperty("DisplayName"),
                roles((String) entity.getProperty("Roles"))),
                ((OffsetDateTime) entity.getProperty("ExpiresAt")).toInstant()));
    }

    @Override
    public int prune(java.time.Instant pendingBefore, java.time.Instant now, int most) {
        creation.ensure();
        int deleted = 0;
        for (String filter : java.util.List.of(
                "PartitionKey eq '" + PENDING + "' and StartedAt lt datetime'" + Tables.dateTime(pendingBefore) + "'",
                "PartitionKey eq '" + SESSION + "' and ExpiresAt le datetime'" + Tables.dateTime(now) + "'")) {
            for (TableEntity old : table.listEntities(new com.azure.data.tables.models.ListEntitiesOptions()
                    .setFilter(filter).setSelect(java.util.List.of("PartitionKey", "RowKey")), null, Context.NONE)) {
                if (deleted >= most) {
                    return deleted;
                }
                table.deleteEntity(old.getPartitionKey(), old.getRowKey());
                deleted++;
            }
        }
        return deleted;
    }

    private static java.util.Set<String> roles(String stored) {
        return stored == null || stored.isBlank() ? java.util.Set.of() : java.util.Set.of(stored.split(" "));
    }

    private Optional<TableEntity> find(String partition, String row) {
        creation.ensure();
        try {
            return Optional.of(table.getEntity(partition, row));
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
