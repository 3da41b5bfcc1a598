package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.pool.DeleteResult;
import org.dsvmpools.pool.PoolDocuments;

/**
 * {@code DELETE /api/pools/{name}[?purgeData=true&confirm={name}]}: queues teardown. The share and its data are
 * kept unless the purge is confirmed with the pool's name.
 */
public final class DeletePoolFunction {
    private final App app;

    public DeletePoolFunction() {
        this(App.get());
    }

    DeletePoolFunction(App app) {
        this.app = app;
    }

    @FunctionName("DeletePool")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, route = "pools/{name}",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name,
            ExecutionContext context) {
        String purge = request.getQueryParameters().getOrDefault("purgeData", "false");
        if (!purge.equals("true") && !purge.equals("false")) {
            return Http.problem(request, Problem.of(400, "invalid-query", "Invalid query parameter",
                    "purgeData must be true or false"));
        }
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, poolName -> {
            DeleteResult result = app.intake().delete(poolName, caller, Boolean.parseBoolean(purge),
                    request.getQueryParameters().get("confirm"));
            return respond(request, context, result);
        }));
    }

    private static HttpResponseMessage respond(HttpRequestMessage<?> request, ExecutionContext context,
                                               DeleteResult result) {
        if (result instanceof DeleteResult.TeardownRequested requested) {
            if (!requested.workQueued()) {
                context.getLogger().warning("teardown of pool " + requested.pool().name()
                        + " is recorded but its message was not sent; stuck-pool recovery will send it");
            }
            return accepted(request, requested.pool());
        }
        if (result instanceof DeleteResult.AlreadyRequested already) {
            return accepted(request, already.pool());
        }
        if (result instanceof DeleteResult.Forbidden forbidden) {
            return Http.problem(request, Problem.of(403, "forbidden", "Forbidden", "only the owner of pool '"
                    + forbidden.pool().name() + "' or a principal with the Pools.Admin role may delete it"));
        }
        if (result instanceof DeleteResult.ConfirmationRequired confirm) {
            return Http.problem(request, Problem.of(400, "purge-not-confirmed", "Purge not confirmed",
                    "purgeData=true deletes the share and every notebook on it; add confirm=" + confirm.name()
                            + " to confirm"));
        }
        return Http.problem(request, Http.poolNotFound(((DeleteResult.NotFound) result).name().value()));
    }

    private static HttpResponseMessage accepted(HttpRequestMessage<?> request, org.dsvmpools.pool.Pool pool) {
        return Http.json(request, 202, PoolDocuments.of(pool), Http.poolLocation(pool.name().value()));
    }
}
