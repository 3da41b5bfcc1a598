package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.util.List;
import java.util.Optional;
import org.dsvmpools.pool.FieldError;
import org.dsvmpools.scaling.Wake;

/** The wake endpoint's reading of {@code seats} and its answer to each of {@link Wake}'s results. */
final class WakeAnswers {
    static final Problem UNAVAILABLE = Problem.of(503, "wake-unavailable", "Wake unavailable",
            "the wake request could not be queued; try again");

    private WakeAnswers() {
    }

    /**
     * No body, or none of {@code seats}, asks for the default; else a whole number of at least 1. Any other field
     * is refused as unknown, as the OpenAPI schema says ({@code additionalProperties: false}): a typo such as
     * {@code "seat"} must not silently ask for the default. Every offending field is listed.
     */
    static Optional<Problem> invalidSeats(JsonNode body) {
        List<FieldError> errors = new java.util.ArrayList<>();
        JsonNode seats = body.path("seats");
        if (!seats.isMissingNode()
                && !(seats.canConvertToInt() && seats.isIntegralNumber() && seats.asInt() >= 1)) {
            errors.add(new FieldError("/seats", "must be a whole number of at least 1"));
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!name.equals("seats")) {
                // RFC 6901: "~" and "/" in a name are escaped in its pointer.
                errors.add(new FieldError("/" + name.replace("~", "~0").replace("/", "~1"), "unknown field"));
            }
        });
        return errors.isEmpty() ? Optional.empty()
                : Optional.of(Problem.invalid("the wake request is invalid", errors));
    }

    /** @param body a body {@link #invalidSeats} found nothing wrong with */
    static Optional<Integer> seats(JsonNode body) {
        return body.has("seats") ? Optional.of(body.get("seats").asInt()) : Optional.empty();
    }

    static HttpResponseMessage of(HttpRequestMessage<?> request, Wake.Result result) {
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
