package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.dsvmpools.pool.PoolDocuments;
import org.dsvmpools.pool.PoolPage;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.PoolRepository;

/** {@code GET /api/pools}: pools in name order, a page at a time ({@code maxPageSize}, {@code continuationToken}). */
public final class ListPoolsFunction {
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;
    private final App app;

    public ListPoolsFunction() {
        this(App.get());
    }

    ListPoolsFunction(App app) {
        this.app = app;
    }

    @FunctionName("ListPools")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "pools",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request) {
        return Http.asCaller(app, request, caller -> {
            String sizeText = request.getQueryParameters().getOrDefault("maxPageSize", "" + DEFAULT_PAGE_SIZE);
            if (!sizeText.matches("\\d{1,4}") || Integer.parseInt(sizeText) < 1
                    || Integer.parseInt(sizeText) > MAX_PAGE_SIZE) {
                return Http.problem(request, Problem.of(400, "invalid-query", "Invalid query parameter",
                        "maxPageSize must be a whole number from 1 to " + MAX_PAGE_SIZE));
            }
            int size = Integer.parseInt(sizeText);
            String statusText = request.getQueryParameters().get("status");
            java.util.Set<PoolStatus> statuses;
            try {
                statuses = statuses(statusText);
            } catch (IllegalArgumentException e) {
                return Http.problem(request, Problem.of(400, "invalid-query", "Invalid query parameter",
                        e.getMessage()));
            }
            try {
                PoolPage page = app.intake().list(request.getQueryParameters().get("continuationToken"), size,
                        statuses);
                return Http.json(request, 200, render(page, size, statusText, origin(request.getUri())));
            } catch (PoolRepository.InvalidContinuationException e) {
                return Http.problem(request, Problem.of(400, "invalid-query", "Invalid query parameter",
                        e.getMessage()));
            }
        });
    }

    /**
     * Where the caller reached the app ({@code https://<app host>}): a {@code nextLink} is absolute, so
     * {@code curl "$nextLink"} works as it does on Azure's own list APIs (#30).
     */
    static String origin(java.net.URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /**
     * {@code status}: statuses separated by commas, any case ({@code Ready,Failed}), or {@code all}; without it,
     * every pool but the Deleted, whose records stay (their names are held) but are no longer anyone's work.
     */
    static java.util.Set<PoolStatus> statuses(String given) {
        if (given == null || given.isBlank()) {
            return java.util.EnumSet.complementOf(java.util.EnumSet.of(PoolStatus.Deleted));
        }
        if (given.strip().equalsIgnoreCase("all")) {
            return java.util.EnumSet.allOf(PoolStatus.class);
        }
        java.util.Set<PoolStatus> statuses = java.util.EnumSet.noneOf(PoolStatus.class);
        for (String part : given.split(",")) {
            PoolStatus status = java.util.Arrays.stream(PoolStatus.values())
                    .filter(s -> s.name().equalsIgnoreCase(part.strip())).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("status '" + part.strip() + "' is not one of "
                            + java.util.Arrays.toString(PoolStatus.values()) + " or all"));
            statuses.add(status);
        }
        return statuses;
    }

    private static ObjectNode render(PoolPage page, int size, String status, String origin) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode value = body.putArray("value");
        page.pools().forEach(pool -> value.add(PoolDocuments.summary(pool)));
        if (page.continuationToken() != null) {
            body.put("continuationToken", page.continuationToken());
            body.put("nextLink", origin + "/api/pools?maxPageSize=" + size + (status == null ? ""
                    : "&status=" + URLEncoder.encode(status, StandardCharsets.UTF_8)) + "&continuationToken="
                    + URLEncoder.encode(page.continuationToken(), StandardCharsets.UTF_8));
        }
        return body;
    }
}
