package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * {@code GET /api/health}: 200 when the app answers and reads its pool table, 503 problem+json saying what it
 * could not reach; and {@code GET /api/openapi.json}, the API's description, the same document as
 * docs/openapi.json. Both anonymous: a probe and a client generator hold no key, and neither says anything a
 * pool's name or a key would.
 */
public final class HealthFunction {
    private static final byte[] OPENAPI = read("openapi.json");
    private final App app;

    public HealthFunction() {
        this(App.get());
    }

    HealthFunction(App app) {
        this.app = app;
    }

    @FunctionName("Health")
    public HttpResponseMessage health(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "health",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        try {
            app.intake().list(null, 1);
        } catch (RuntimeException e) {
            context.getLogger().warning("health: the pool table could not be read: " + e);
            return Http.problem(request, Problem.of(503, "unhealthy", "Unhealthy",
                    "the pool table could not be read; see the app's log"));
        }
        return Http.json(request, 200, JsonNodeFactory.instance.objectNode().put("status", "ok"));
    }

    @FunctionName("OpenApi")
    public HttpResponseMessage openApi(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "openapi.json",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request) {
        return request.createResponseBuilder(HttpStatusType.custom(200)).header("Content-Type", Http.JSON)
                .body(new String(OPENAPI, java.nio.charset.StandardCharsets.UTF_8)).build();
    }

    private static byte[] read(String name) {
        try (InputStream in = HealthFunction.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not in the app: the build copies it from docs/");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
