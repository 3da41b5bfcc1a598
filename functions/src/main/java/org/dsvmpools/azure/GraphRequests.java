package org.dsvmpools.azure;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.dsvmpools.onboarding.GroupMembers;

/**
 * Requests to Microsoft Graph with the app's token: 429 and Graph's 503 and 504 are retried after Graph's
 * {@code Retry-After} (two seconds without one), {@link #ATTEMPTS} times at most and waiting {@link #MAX_WAIT} in all;
 * then, as for a refusal, the call fails with Graph's status and code and, for a 403, the permissions the app needs.
 */
final class GraphRequests {
    static final int ATTEMPTS = 4;
    static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<ArmClients> arm;
    private final List<String> permissions;

    GraphRequests(Supplier<ArmClients> arm) {
        this(arm, GraphGroupMembers.PERMISSIONS);
    }

    /** @param permissions what a 403 says the app needs */
    GraphRequests(Supplier<ArmClients> arm, List<String> permissions) {
        this.arm = arm;
        this.permissions = List.copyOf(permissions);
    }

    /** Graph no longer knows a delta link (410, or syncStateNotFound): start again with a full read. */
    static final class ExpiredDeltaException extends RuntimeException {
        ExpiredDeltaException() {
            super("the delta link has expired");
        }
    }

    /**
     * @param about what the request concerns, for the error (a group id)
     * @throws GroupMembers.GroupNotFoundException on 404
     */
    JsonNode get(String url, String about) {
        return send(HttpMethod.GET, url, null, about);
    }

    /** @return the answer's JSON, or null for a 204 */
    JsonNode send(HttpMethod method, String url, String body, String about) {
        long waited = 0;
        String token = token();
        for (int attempt = 1; ; attempt++) {
            HttpRequest request = new HttpRequest(method, url)
                    .setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token)
                    .setHeader(HttpHeaderName.ACCEPT, "application/json");
            if (body != null) {
                request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json").setBody(body);
            }
            try (HttpResponse response = arm.get().http().sendSync(request, Context.NONE)) {
                int status = response.getStatusCode();
                byte[] bytes = response.getBodyAsBinaryData() == null ? new byte[0]
                        : response.getBodyAsBinaryData().toBytes();
                if (status >= 200 && status < 300) {
                    return bytes.length == 0 ? null : JSON.readTree(bytes);
                }
                String code = errorCode(bytes);
                if (status == 404) {
                    throw new GroupMembers.GroupNotFoundException(about);
                }
                if (status == 410 || code.equals("syncStateNotFound") || code.equals("syncStateInvalid")
                        || code.equals("resyncRequired")) {
                    throw new ExpiredDeltaException();
                }
                long wait = retryAfterMillis(response.getHeaderValue(HttpHeaderName.RETRY_AFTER));
                boolean transientFault = status == 429 || status == 503 || status == 504;
                if (!transientFault || attempt >= ATTEMPTS || waited + wait > MAX_WAIT.toMillis()) {
                    throw new GroupMembers.GraphException("Microsoft Graph answered " + status + " " + code
                            + " for " + about + (status == 403 ? "; the app needs the application permissions "
                            + permissions : transientFault ? " after " + attempt + " attempts" : ""));
                }
                Thread.sleep(wait);
                waited += wait;
            } catch (IOException e) {
                throw new GroupMembers.GraphException("Microsoft Graph's answer is unreadable: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GroupMembers.GraphException("interrupted while waiting for Microsoft Graph");
            }
        }
    }

    private String token() {
        return arm.get().credential().getTokenSync(new TokenRequestContext()
                .addScopes(GraphGroupMembers.GRAPH + "/.default")).getToken();
    }

    /** Graph's Retry-After is in seconds; without one, two seconds. */
    private static long retryAfterMillis(String header) {
        try {
            return header == null ? 2000 : Math.max(0, Long.parseLong(header.trim())) * 1000;
        } catch (NumberFormatException e) {
            return 2000;
        }
    }

    private static String errorCode(byte[] body) {
        try {
            return body.length == 0 ? "" : JSON.readTree(body).path("error").path("code").asText("");
        } catch (IOException e) {
            return "";
        }
    }
}
