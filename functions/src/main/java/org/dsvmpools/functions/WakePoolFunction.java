package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.pool.WorkQueue;

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
            Optional<Problem> invalid = WakeAnswers.invalidSeats(parsed.document());
            if (invalid.isPresent()) {
                return Http.problem(request, invalid.get());
            }
            try {
                return WakeAnswers.of(request, app.wake().wake(poolName, WakeAnswers.seats(parsed.document())));
            } catch (WorkQueue.WorkQueueException e) {
                context.getLogger().warning(e.getMessage());
                return Http.problem(request, WakeAnswers.UNAVAILABLE);
            }
        }));
    }
}
