package org.dsvmpools.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dsvmpools.kit.FunctionHttpRequest;
import org.dsvmpools.kit.FunctionHttpResponse;

/**
 * Serves the HTTP-triggered functions under the route prefix, enforcing their auth level as Azure does: a key in
 * {@code x-functions-key} or {@code ?code=} for FUNCTION and ADMIN, nothing for ANONYMOUS. Unknown routes are 404,
 * a known route with another method is 405, a missing or wrong key 401.
 */
final class HttpTriggerServer implements HttpHandler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Route> routes = new ArrayList<>();
    private final String routePrefix;
    private final String functionKey;
    private final Invoker invoker;
    private final StackReadiness readiness;

    private record Route(FunctionDefinition function, RouteTemplate template, Set<String> methods, String authLevel) {
    }

    HttpTriggerServer(List<FunctionDefinition> functions, String routePrefix, String functionKey, Invoker invoker,
                      StackReadiness readiness) {
        this.readiness = readiness;
        this.routePrefix = routePrefix;
        this.functionKey = functionKey;
        this.invoker = invoker;
        for (FunctionDefinition function : functions) {
            if (function.trigger() instanceof FunctionDefinition.HttpTriggerDef http) {
                String route = http.route().isEmpty() ? function.name() : http.route();
                Set<String> methods = new LinkedHashSet<>(http.methods().isEmpty()
                        ? List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS") : http.methods());
                routes.add(new Route(function, RouteTemplate.parse(route), methods, http.authLevel()));
            }
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Exchanges.serve(exchange, "request", () -> serve(exchange));
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        Optional<StackReadiness.Dependency> waiting = readiness.waitingFor();
        if (path.equals("/admin/host/status")) {
            // Up when a first request would succeed: the status says "Running" only once the stack answers.
            Exchanges.send(exchange, waiting.isEmpty() ? 200 : 503, "application/json", JSON.writeValueAsBytes(
                    waiting.isEmpty() ? Map.of("state", "Running") : Map.of("state", "Initialized",
                            "waitingFor", waiting.get().toString())), Map.of());
            return;
        }
        if (waiting.isPresent()) {
            exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            Exchanges.send(exchange, 503, "application/problem+json", JSON.writeValueAsBytes(Map.of(
                    "type", "about:blank", "title", "Service Unavailable", "status", 503,
                    "detail", "the local stack is still starting: waiting for " + waiting.get()
                            + "; try again in a second")), Map.of("Retry-After", "1"));
            return;
        }
        String prefix = "/" + routePrefix + "/";
        if (!path.startsWith(prefix)) {
            Exchanges.sendText(exchange, 404, "no function at " + path);
            return;
        }
        List<String> segments = List.of(path.substring(prefix.length()).split("/", -1));
        dispatch(exchange, segments);
    }

    private void dispatch(HttpExchange exchange, List<String> segments) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = route.template().match(segments);
            if (parameters.isEmpty()) {
                continue;
            }
            if (!route.methods().contains(method)) {
                allowed.addAll(route.methods());
                continue;
            }
            Map<String, String> query = Exchanges.query(exchange.getRequestURI());
            if (!authorized(route.authLevel(), exchange, query)) {
                Exchanges.sendText(exchange, 401, "a valid function key is required (x-functions-key header or code=)");
                return;
            }
            invoke(exchange, route, parameters.get(), query);
            return;
        }
        if (allowed.isEmpty()) {
            Exchanges.sendText(exchange, 404, "no function matches " + exchange.getRequestURI().getPath());
        } else {
            Exchanges.send(exchange, 405, "text/plain", ("method " + method + " not allowed")
                    .getBytes(StandardCharsets.UTF_8), Map.of("Allow", String.join(", ", allowed)));
        }
    }

    private boolean authorized(String authLevel, HttpExchange exchange, Map<String, String> query) {
        return authLevel.equals("ANONYMOUS") || Exchanges.hasKey(exchange, query, functionKey);
    }

    private void invoke(HttpExchange exchange, Route route, Map<String, String> parameters, Map<String, String> query)
            throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(",", values)));
        String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse("127.0.0.1");
        URI uri = URI.create("http://" + host + exchange.getRequestURI());
        Object payload = new FunctionHttpRequest<>(uri, HttpMethod.value(exchange.getRequestMethod()), headers, query,
                bodyAs(route.function(), body));
        Map<String, Object> bindingData = new LinkedHashMap<>(query);
        bindingData.putAll(parameters);
        Invoker.Result result;
        try {
            result = invoker.invoke(route.function(), payload, bindingData);
        } catch (Exception e) {
            System.err.println("local host: " + route.function().name() + " threw " + e);
            Exchanges.sendText(exchange, 500, "the function failed; see the host log");
            return;
        }
        respond(exchange, result.returned());
    }

    /** The body as the trigger parameter declares it: String or byte[], optionally in an Optional. */
    private static Object bodyAs(FunctionDefinition function, byte[] body) {
        Type type = Object.class;
        for (int i = 0; i < function.parameters().size(); i++) {
            if (function.parameters().get(i) instanceof FunctionDefinition.TriggerPayload) {
                Type requestType = function.method().getGenericParameterTypes()[i];
                if (requestType instanceof ParameterizedType parameterized) {
                    type = parameterized.getActualTypeArguments()[0];
                }
            }
        }
        boolean optional = type instanceof ParameterizedType p && p.getRawType() == Optional.class;
        Type inner = optional ? ((ParameterizedType) type).getActualTypeArguments()[0] : type;
        Object value = body.length == 0 ? null
                : inner == byte[].class ? body : new String(body, StandardCharsets.UTF_8);
        return optional ? Optional.ofNullable(value) : value;
    }

    private static void respond(HttpExchange exchange, Object returned) throws IOException {
        if (!(returned instanceof HttpResponseMessage response)) {
            byte[] body = returned == null ? new byte[0] : JSON.writeValueAsBytes(returned);
            Exchanges.send(exchange, returned == null ? 204 : 200, "application/json", body, Map.of());
            return;
        }
        Object body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : body instanceof byte[] raw ? raw
                : body instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(body);
        Map<String, String> headers = response instanceof FunctionHttpResponse local ? local.headers() : Map.of();
        String contentType = Optional.ofNullable(response.getHeader("Content-Type"))
                .orElse(body instanceof String ? "text/plain; charset=utf-8" : "application/json");
        Exchanges.send(exchange, response.getStatusCode(), contentType, bytes, headers);
    }
}
