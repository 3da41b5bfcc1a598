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
import org.dsvmpools.pool.PoolDocuments;
import org.dsvmpools.pool.RetryResult;

/** {@code POST /api/pools/{name}/retry}: sends a Failed pool's work again (a failed teardown deletes again). */
public final class RetryPoolFunction {
    private final App app;

    public RetryPoolFunction() {
        this(App.get());
    }

    RetryPoolFunction(App app) {
        this.app = app;
    }

    @FunctionName("RetryPool")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "pools/{name}/retry",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name,
            ExecutionContext context) {
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, poolName -> {
            RetryResult result = app.intake().retry(poolName, caller);
            if (result instanceof RetryResult.Retried retried) {
                if (!retried.workQueued()) {
                    context.getLogger().warning("retry of pool " + poolName + " is recorded but its message was not"
                            + " sent; stuck-pool recovery will send it");
                }
                return Http.json(request, 202, PoolDocuments.of(retried.pool()), Http.poolLocation(name));
            }
            if (result instanceof RetryResult.NotFailed notFailed) {
                return Http.problem(request, Problem.of(409, "not-failed", "Pool is not Failed", "pool '" + name
                        + "' is " + notFailed.pool().status() + "; only a Failed pool can be retried"));
            }
            if (result instanceof RetryResult.Forbidden) {
                return Http.problem(request, Problem.of(403, "forbidden", "Forbidden", "only the owner of pool '"
                        + name + "' or a principal with the Pools.Admin role may retry it"));
            }
            return Http.problem(request, Http.poolNotFound(name));
        }));
    }
}
