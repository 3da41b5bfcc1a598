package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.PoolDocuments;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.SubmitResult;

/** {@code POST /api/pools}: accepts a pool request, stores it and queues its provisioning. */
public final class CreatePoolFunction {
    private final App app;

    public CreatePoolFunction() {
        this(App.get());
    }

    CreatePoolFunction(App app) {
        this.app = app;
    }

    @FunctionName("CreatePool")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "pools",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        return Http.asCaller(app, request, caller -> {
            var read = new PoolRequestReader(app.rules())
                    .read(Http.headers(request).get("content-type"), request.getBody().orElse(null));
            return read.problem() != null
                    ? Http.problem(request, read.problem())
                    : respond(request, context, app.intake().submit(read.spec(), caller));
        });
    }

    private static HttpResponseMessage respond(HttpRequestMessage<?> request, ExecutionContext context,
                                               SubmitResult result) {
        String location = Http.poolLocation(result.pool().name().value());
        if (result instanceof SubmitResult.Accepted accepted) {
            if (!accepted.workQueued()) {
                context.getLogger().warning("pool " + accepted.pool().name()
                        + " is stored but its work message was not sent; stuck-pool recovery will send it");
            }
            return Http.json(request, 202, PoolDocuments.of(result.pool()), location);
        }
        if (result instanceof SubmitResult.AlreadyAccepted) {
            return Http.json(request, 200, PoolDocuments.of(result.pool()), location);
        }
        return Http.problem(request, Problem.of(409, "pool-exists", "Pool exists with another spec",
                "pool '" + result.pool().name() + "' already exists with a different spec;"
                        + " choose another name or delete it first"));
    }
}
