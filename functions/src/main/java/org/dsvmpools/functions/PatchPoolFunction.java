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
import org.dsvmpools.pool.PoolSpec;

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

    /** The patch turned out invalid for the spec it was applied to: carries the problem out of the use case. */
    private static final class InvalidPatch extends RuntimeException {
        private final transient Problem problem;

        InvalidPatch(Problem problem) {
            super(problem.detail());
            this.problem = problem;
        }
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
            PatchResult result;
            try {
                result = app.intake().changeScaling(poolName, caller, current -> patched(reader, contentType,
                        body, current));
            } catch (InvalidPatch invalid) {
                return Http.problem(request, invalid.problem);
            }
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
            return Http.problem(request, Http.poolNotFound(name));
        }));
    }

    private static PoolSpec patched(PoolRequestReader reader, String contentType, String body, PoolSpec current) {
        PoolRequestReader.Outcome outcome = reader.readPatch(contentType, body, current);
        if (outcome.problem() != null) {
            throw new InvalidPatch(outcome.problem());
        }
        return outcome.spec();
    }
}
