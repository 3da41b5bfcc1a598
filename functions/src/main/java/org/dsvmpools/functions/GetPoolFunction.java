package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolDocuments;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.scaling.Rejections;
import org.dsvmpools.scaling.ScalingSnapshotJson;

/** {@code GET /api/pools/{name}}: the pool document with its state history and, once Ready, its scaling. */
public final class GetPoolFunction {
    private final App app;

    public GetPoolFunction() {
        this(App.get());
    }

    GetPoolFunction(App app) {
        this.app = app;
    }

    @FunctionName("GetPool")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "pools/{name}",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name) {
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, poolName ->
                app.intake().get(poolName)
                        .map(pool -> Http.json(request, 200, document(pool)))
                        .orElseGet(() -> Http.problem(request, Http.poolNotFound(name)))));
    }

    /**
     * A Ready pool's document carries what the scaler last saw and decided: instances, users, actions; any pool's,
     * the usage reports refused for it because another principal sent them.
     */
    private ObjectNode document(Pool pool) {
        ObjectNode document = PoolDocuments.of(pool);
        if (pool.status() == PoolStatus.Ready) {
            app.snapshots().find(pool.name())
                    .ifPresent(snapshot -> document.set("scaling", ScalingSnapshotJson.write(snapshot)));
        }
        Rejections refused = app.rejectedReports(pool.name());
        if (refused.count() > 0) {
            document.putObject("usage").put("rejectedReports", refused.count())
                    .put("lastRejectedAt", refused.lastAt().toString()).put("lastRejection", refused.lastReason());
        }
        return document;
    }
}
