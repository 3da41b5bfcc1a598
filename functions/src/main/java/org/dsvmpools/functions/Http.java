package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.PoolName;

/** The few HTTP conventions every API function shares: JSON bodies, problem documents, header lookup. */
final class Http {
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    private Http() {
    }

    /** Header names are case-insensitive; hosts differ in the case they deliver, so look them up lower-cased. */
    static Map<String, String> headers(HttpRequestMessage<?> request) {
        Map<String, String> headers = new HashMap<>();
        request.getHeaders().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        return headers;
    }

    static HttpResponseMessage json(HttpRequestMessage<?> request, int status, JsonNode body) {
        return request.createResponseBuilder(HttpStatusType.custom(status))
                .header("Content-Type", JSON)
                .body(body.toString())
                .build();
    }

    static HttpResponseMessage json(HttpRequestMessage<?> request, int status, JsonNode body, String location) {
        return request.createResponseBuilder(HttpStatusType.custom(status))
                .header("Content-Type", JSON)
                .header("Location", location)
                .body(body.toString())
                .build();
    }

    static HttpResponseMessage problem(HttpRequestMessage<?> request, Problem problem) {
        return request.createResponseBuilder(HttpStatusType.custom(problem.status()))
                .header("Content-Type", PROBLEM_JSON)
                .body(problem.toJson(request.getUri().getPath()).toString())
                .build();
    }

    /** Runs {@code handler} as the request's caller, or answers 401 when the principal header cannot be trusted. */
    static HttpResponseMessage asCaller(App app, HttpRequestMessage<?> request,
                                        Function<Caller, HttpResponseMessage> handler) {
        Caller caller;
        try {
            caller = app.principals().caller(headers(request));
        } catch (ClientPrincipals.UntrustedPrincipalException e) {
            return problem(request, Problem.of(401, "unauthenticated", "Unauthenticated", e.getMessage()));
        }
        return handler.apply(caller);
    }

    /** Runs {@code handler} with the pool name of the route, or answers 400 for a name no pool can have. */
    static HttpResponseMessage withPoolName(HttpRequestMessage<?> request, String name,
                                            Function<PoolName, HttpResponseMessage> handler) {
        Optional<String> problem = PoolName.problem(name);
        if (problem.isPresent()) {
            return problem(request, Problem.of(400, "invalid-pool-name", "Invalid pool name",
                    "'" + name + "' is not a pool name: it " + problem.get()));
        }
        return handler.apply(new PoolName(name));
    }

    static Problem poolNotFound(String name) {
        return Problem.of(404, "pool-not-found", "Pool not found", "there is no pool named '" + name + "'");
    }

    static String poolLocation(String name) {
        return "/api/pools/" + name;
    }
}
