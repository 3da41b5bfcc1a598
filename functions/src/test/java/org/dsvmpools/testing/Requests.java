package org.dsvmpools.testing;

import com.microsoft.azure.functions.HttpMethod;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.dsvmpools.kit.FunctionHttpRequest;

/** HTTP requests as the worker hands them to functions, for calling function classes directly. */
public final class Requests {
    private Requests() {
    }

    public static FunctionHttpRequest<Optional<String>> get(String pathAndQuery) {
        return request(HttpMethod.GET, pathAndQuery, null, Map.of());
    }

    public static FunctionHttpRequest<Optional<String>> delete(String pathAndQuery) {
        return request(HttpMethod.DELETE, pathAndQuery, null, Map.of());
    }

    public static FunctionHttpRequest<Optional<String>> patchJson(String path, String json) {
        return request(HttpMethod.PATCH, path, json, Map.of("Content-Type", "application/merge-patch+json"));
    }

    public static FunctionHttpRequest<Optional<String>> postJson(String path, String json) {
        return request(HttpMethod.POST, path, json, Map.of("Content-Type", "application/json"));
    }

    private static FunctionHttpRequest<Optional<String>> request(HttpMethod method, String pathAndQuery, String body,
                                                                 Map<String, String> headers) {
        URI uri = URI.create("http://127.0.0.1:7071" + pathAndQuery);
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                query.put(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
            }
        }
        return new FunctionHttpRequest<>(uri, method, headers, query, Optional.ofNullable(body)).observedBy(
                response -> OpenApiContract.Recorded.add(new OpenApiContract.Exchange(method.name(), uri.getPath(),
                        response)));
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
