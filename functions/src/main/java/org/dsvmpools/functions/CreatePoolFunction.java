package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.pool.PoolDocuments;
import org.dsvmpools.pool.SubmitResult;

/**
 * {@code POST /api/pools}: accepts a pool request, stores it and queues its provisioning. For the name of a Deleted
 * pool whose data was kept, {@code ?keepRoster=true} (its owner or an admin only) brings its roster back; without it
 * the new pool starts with an empty roster.
 */
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
        String keepRoster = request.getQueryParameters().getOrDefault("keepRoster", "false");
        if (!keepRoster.equals("true") && !keepRoster.equals("false")) {
            return Http.problem(request, Problem.of(400, "invalid-query", "Invalid query parameter",
                    "keepRoster must be true or false"));
        }
        return Http.asCaller(app, request, caller -> {
            var read = new PoolRequestReader(app.rules())
                    .read(Http.headers(request).get("content-type"), request.getBody().orElse(null));
            if (read.problem() != null) {
                return Http.problem(request, read.problem());
            }
            try {
                return respond(request, context, app.intake().submit(read.spec(), caller,
                        Boolean.parseBoolean(keepRoster)));
            } catch (org.dsvmpools.pool.WriteConflictException contended) {
                return Http.problem(request, Problem.of(503, "contended", "Too many pool requests at once",
                        "other pool requests were being counted against the limits at the same moment;"
                                + " nothing was stored, send the request again"));
            }
        });
    }

    private static HttpResponseMessage respond(HttpRequestMessage<?> request, ExecutionContext context,
                                               SubmitResult result) {
        if (result instanceof SubmitResult.Accepted accepted) {
            if (!accepted.workQueued()) {
                context.getLogger().warning("pool " + accepted.pool().name()
                        + " is stored but its work message was not sent; stuck-pool recovery will send it");
            }
            return Http.json(request, 202, PoolDocuments.of(accepted.pool()), location(accepted.pool()));
        }
        if (result instanceof SubmitResult.AlreadyAccepted again) {
            return Http.json(request, 200, PoolDocuments.of(again.pool()), location(again.pool()));
        }
        if (result instanceof SubmitResult.OverLimit over) {
            return Http.problem(request, Problem.overLimit(over.overrun()));
        }
        if (result instanceof SubmitResult.RegionNotAllowed region) {
            return Http.problem(request, Problem.of(422, "region-not-allowed", "Region not allowed", "this"
                    + " installation deploys pools to " + String.join(", ", new java.util.TreeSet<>(region.allowed()))
                    + " only (" + org.dsvmpools.pool.Limits.REGIONS_SETTING + "), not to '" + region.region() + "'"));
        }
        if (result instanceof SubmitResult.NameHeld held) {
            return Http.problem(request, Problem.of(409, "name-held", "Name held by a deleted pool's data",
                    "pool '" + held.pool().name() + "' was deleted with its share and roster kept for its owner;"
                            + " only its owner or an admin may request it again, or its owner deletes it with"
                            + " purgeData=true first"));
        }
        SubmitResult.Conflict conflict = (SubmitResult.Conflict) result;
        return Http.problem(request, Problem.of(409, "pool-exists", "Pool exists with another spec",
                "pool '" + conflict.pool().name() + "' already exists with a different spec;"
                        + " choose another name or delete it first"));
    }

    private static String location(org.dsvmpools.pool.Pool pool) {
        return Http.poolLocation(pool.name().value());
    }
}
