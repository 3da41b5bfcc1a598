package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.List;
import java.util.Optional;
import org.dsvmpools.pool.FieldError;
import org.dsvmpools.pool.WorkQueue;
import org.dsvmpools.scaling.Wake;

/**
 * {@code POST /api/pools/{name}/wake} with an optional {@code {"seats": n}}, free seats wanted now (default: one
 * instance's worth):
 * 202 with when the capacity should be ready. Any key holder may wake a pool; it only starts what the pool's
 * rules allow.
 */
public final class WakePoolFunction {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final App app;

    public WakePoolFunction() {
        this(App.get());
    }

    WakePoolFunction(App app) {
        this.app = app;
    }

    @FunctionName("WakePool")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "pools/{name}/wake",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name,
            ExecutionContext context) {
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, poolName -> {
            String body = request.getBody().orElse("");
            JsonBody.Parsed parsed = body.isBlank() ? new JsonBody.Parsed(JSON.createObjectNode(), null)
                    : JsonBody.read(Http.headers(request).get("content-type"), body, "the wake request");
            if (parsed.problem() != null) {
                return Http.problem(request, parsed.problem());
            }
            Optional<Integer> seats;
            try {
                seats = seats(parsed.document());
            } catch (IllegalArgumentException e) {
                return Http.problem(request, Problem.invalid("the wake request is invalid",
                        List.of(new FieldError("/seats", e.getMessage()))));
            }
            Wake.Result result;
            try {
                result = app.wake().wake(poolName, seats);
            } catch (WorkQueue.WorkQueueException e) {
                context.getLogger().warning(e.getMessage());
                return Http.problem(request, Problem.of(503, "wake-unavailable", "Wake unavailable",
                        "the wake request could not be queued; try again"));
            }
            return respond(request, result);
        }));
    }

    /** No body, or none of {@code seats}, asks for the default; else a whole number of at least 1. */
    private static Optional<Integer> seats(JsonNode node) {
        JsonNode seats = node.path("seats");
        if (seats.isMissingNode()) {
            return Optional.empty();
        }
        if (!seats.canConvertToInt() || !seats.isIntegralNumber() || seats.asInt() < 1) {
            throw new IllegalArgumentException("must be a whole number of at least 1");
        }
        return Optional.of(seats.asInt());
    }

    private static HttpResponseMessage respond(HttpRequestMessage<?> request, Wake.Result result) {
        if (result instanceof Wake.Result.Queued queued) {
            return Http.json(request, 202, JsonNodeFactory.instance.objectNode()
                    .put("pool", queued.pool().name().value()).put("seats", queued.seats())
                    .put("expectedReadyAt", queued.expectedReadyAt().toString()),
                    Http.poolLocation(queued.pool().name().value()));
        }
        if (result instanceof Wake.Result.NotReady notReady) {
            return Http.problem(request, Problem.of(409, "pool-not-ready", "Pool is not Ready", "pool '"
                    + notReady.pool().name() + "' is " + notReady.pool().status() + "; only a Ready pool is woken"));
        }
        if (result instanceof Wake.Result.TooManySeats tooMany) {
            return Http.problem(request, Problem.invalid("the wake request is invalid", List.of(new FieldError(
                    "/seats", tooMany.seats() + " is more than the pool's " + tooMany.most() + " seats"))));
        }
        return Http.problem(request, Http.poolNotFound(((Wake.Result.NotFound) result).name().value()));
    }
}
