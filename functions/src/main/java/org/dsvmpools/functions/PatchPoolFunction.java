package org.dsvmpools.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.pool.PatchResult;
import org.dsvmpools.pool.PoolDocuments;

/**
 * {@code PATCH /api/pools/{name}} with a JSON merge patch of {@code capacity}, {@code usersPerInstance},
 * {@code idleTimeoutMinutes} and {@code schedule}: the pool's scaling rules, applied by the scaler's next tick.
 */
public final class PatchPoolFunction {
    private final App app;

    public PatchPoolFunction() {
        this(App.get());
    }

    PatchPoolFunction(App app) {
        this.app = app;
    }

    @FunctionName("PatchPool")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.PATCH}, route = "pools/{name}",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name) {
        String contentType = Http.headers(request).get("content-type");
        String body = request.getBody().orElse("");
        PoolRequestReader reader = new PoolRequestReader(app.rules());
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, poolName -> {
            PoolRequestReader.Patch patch = reader.readPatch(contentType, body);
            if (patch.problem() != null) {
                return Http.problem(request, patch.problem());
            }
            PatchResult result = app.intake().changeScaling(poolName, caller,
                    current -> reader.applyPatch(patch.document(), current));
            if (result instanceof PatchResult.Changed changed) {
                return Http.json(request, 200, PoolDocuments.of(changed.pool()));
            }
            if (result instanceof PatchResult.Forbidden) {
                return Http.problem(request, Problem.of(403, "forbidden", "Forbidden", "only the owner of pool '"
                        + name + "' or a principal with the Pools.Admin role may change it"));
            }
            if (result instanceof PatchResult.NotChangeable notChangeable) {
                return Http.problem(request, Problem.of(409, "pool-not-changeable", "Pool cannot be changed",
                        "pool '" + name + "' is " + notChangeable.pool().status()));
            }
            if (result instanceof PatchResult.OverLimit over) {
                return Http.problem(request, Problem.overLimit(over.overrun()));
            }
            if (result instanceof PatchResult.Invalid invalid) {
                return Http.problem(request, PoolRequestReader.invalid(invalid.errors()));
            }
            return Http.problem(request, Http.poolNotFound(name));
        }));
    }
}
