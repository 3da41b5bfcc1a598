package org.dsvmpools.azure;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dsvmpools.pool.OnConflict;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.WriteConflictException;
import org.dsvmpools.scaling.Rejections;
import org.dsvmpools.scaling.UsageReport;

/**
 * {@link UsageReports} in a Table: one entity per instance (partition: the pool, row: the instance id) holding
 * its latest report, so that the scaler reads a pool's reports with one partition query.
 */
public final class TableUsageReports implements org.dsvmpools.scaling.UsageReports {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String REJECTED = "~rejected";

    private final TableClient table;
    private final Tables.OnFirstUse creation;

    public TableUsageReports(TableClient table) {
        this.table = table;
        this.creation = new Tables.OnFirstUse(table);
    }

    @Override
    public Map<String, UsageReport> latest(PoolName pool) {
        creation.ensure();
        Map<String, UsageReport> reports = new LinkedHashMap<>();
        for (TableEntity entity : table.listEntities(new ListEntitiesOptions()
                .setFilter("PartitionKey eq '" + pool.value() + "'"), null, Context.NONE)) {
            UsageReport report = toReport(entity);
            reports.put(report.instanceId(), report);
        }
        return reports;
    }

    @Override
    public java.util.Optional<UsageReport> record(PoolName pool, UsageReport report) {
        creation.ensure();
        TableEntity entity = toEntity(pool, report);
        TableEntity current = find(pool, report.instanceId());
        java.util.Optional<UsageReport> before = java.util.Optional.ofNullable(current).map(TableUsageReports::toReport);
        try {
            if (current == null) {
                table.createEntity(entity);
                return before;
            }
            Instant stored = ((OffsetDateTime) current.getProperty("ReportedAt")).toInstant();
            if (!report.reportedAt().isAfter(stored)) {
                return before;
            }
            entity.addProperty("odata.etag", current.getETag());
            table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
        } catch (TableServiceException raced) {
            int status = raced.getResponse().getStatusCode();
            if (status != 409 && status != 412) {
                throw raced;
            }
            // Another report for the instance was stored meanwhile; the newer of the two wins on the next report.
        }
        return before;
    }

    /**
     * Refused reports are counted in a partition of their own ({@value #REJECTED}, a key no pool name can be), one
     * entity per pool, so that a pool's partition holds only its instances' reports.
     */
    @Override
    public void rejected(PoolName pool, String reason, Instant at) {
        creation.ensure();
        OnConflict.retry(() -> {
            TableEntity current = find(REJECTED, pool.value());
            long count = current == null ? 0 : ((Number) current.getProperty("Count")).longValue();
            TableEntity next = new TableEntity(REJECTED, pool.value()).addProperty("Count", count + 1)
                    .addProperty("LastAt", Tables.dateTime(at)).addProperty("LastReason", reason);
            try {
                if (current == null) {
                    table.createEntity(next);
                } else {
                    next.addProperty("odata.etag", current.getETag());
                    table.updateEntityWithResponse(next, TableEntityUpdateMode.REPLACE, true, null, Context.NONE);
                }
                return null;
            } catch (TableServiceException raced) {
                int status = raced.getResponse().getStatusCode();
                if (status == 409 || status == 412) {
                    throw new RejectionRaced();
                }
                throw raced;
            }
        });
    }

    @Override
    public Rejections rejections(PoolName pool) {
        creation.ensure();
        TableEntity found = find(REJECTED, pool.value());
        return found == null ? Rejections.NONE : new Rejections(((Number) found.getProperty("Count")).longValue(),
                ((OffsetDateTime) found.getProperty("LastAt")).toInstant(), (String) found.getProperty("LastReason"));
    }

    /** Another refusal was counted meanwhile: count again from a fresh read. */
    private static final class RejectionRaced extends WriteConflictException {
        RejectionRaced() {
            super("the refused-report count changed meanwhile", null);
        }
    }

    private TableEntity find(PoolName pool, String instanceId) {
        return find(pool.value(), instanceId);
    }

    private TableEntity find(String partition, String row) {
        try {
            return table.getEntity(partition, row);
        } catch (TableServiceException e) {
            if (e.getResponse().getStatusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static TableEntity toEntity(PoolName pool, UsageReport report) {
        ArrayNode sessions = JSON.createArrayNode();
        report.sessions().forEach(s -> sessions.addObject().put("user", s.user())
                .put("lastActivity", s.lastActivity().toString())
                .put("since", s.since() == null ? null : s.since().toString()));
        ArrayNode kernels = JSON.createArrayNode();
        report.kernels().forEach(k -> kernels.addObject().put("user", k.user()).put("busy", k.busy())
                .put("lastActivity", k.lastActivity().toString()));
        TableEntity entity = new TableEntity(pool.value(), report.instanceId())
                .addProperty("ReportedAt", Tables.dateTime(report.reportedAt()))
                .addProperty("Sessions", sessions.toString())
                .addProperty("Kernels", kernels.toString())
                .addProperty("CpuPercent", report.cpuPercent());
        if (report.lastActiveAt() != null) {
            entity.addProperty("LastActiveAt", Tables.dateTime(report.lastActiveAt()));
        }
        return entity;
    }

    private static UsageReport toReport(TableEntity entity) {
        try {
            List<UsageReport.Session> sessions = new ArrayList<>();
            for (JsonNode s : JSON.readTree((String) entity.getProperty("Sessions"))) {
                sessions.add(new UsageReport.Session(s.path("user").asText(),
                        Instant.parse(s.path("lastActivity").asText()),
                        s.hasNonNull("since") ? Instant.parse(s.path("since").asText()) : null));
            }
            List<UsageReport.Kernel> kernels = new ArrayList<>();
            for (JsonNode k : JSON.readTree((String) entity.getProperty("Kernels"))) {
                kernels.add(new UsageReport.Kernel(k.path("user").asText(), k.path("busy").asBoolean(),
                        Instant.parse(k.path("lastActivity").asText())));
            }
            return new UsageReport(entity.getRowKey(), ((OffsetDateTime) entity.getProperty("ReportedAt")).toInstant(),
                    sessions, kernels, ((Number) entity.getProperty("CpuPercent")).doubleValue(),
                    entity.getProperty("LastActiveAt") instanceof OffsetDateTime at ? at.toInstant() : null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored usage report of instance " + entity.getRowKey()
                    + " is unreadable", e);
        }
    }
}
