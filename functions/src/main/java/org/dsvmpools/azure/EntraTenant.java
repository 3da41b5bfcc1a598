package org.dsvmpools.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One Entra tenant as its OpenID configuration describes it, read once: its issuer (both forms), its sign-in and
 * token endpoints, and its keys as nimbus's cache, read again after {@link #KEYS_LIVE} or for an unknown key, at
 * most twice in {@link #KEY_READS_APART}. What checks the API's access tokens and what signs users in at the
 * front door read the same tenant this way.
 */
final class EntraTenant {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long the tenant's key set is used before it is read again, unknown keys aside. */
    static final Duration KEYS_LIVE = Duration.ofMinutes(15);
    /** Within this window the keys are read at most twice (nimbus's rate limit: one read and one more). */
    static final Duration KEY_READS_APART = Duration.ofMinutes(5);
    /** Entra's key set is a few KiB; nimbus's own default limit. */
    private static final int KEYS_SIZE_LIMIT = JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT;

    private final String authority;
    private final HttpClient http;
    private final Clock clock;
    private volatile Metadata metadata;

    /** The tenant's configuration or keys could not be read; the message says what. */
    static final class UnreadableException extends RuntimeException {
        UnreadableException(String message) {
            super(message);
        }
    }

    /**
     * @param issuer  the v2.0 issuer the configuration names
     * @param issuers that and the v1.0 form {@code https://sts.windows.net/<tenant>/}
     */
    record Metadata(String issuer, Set<String> issuers, URI authorize, URI token, JWKSource<SecurityContext> keys) {
    }

    /** @param authority {@code https://login.microsoftonline.com/<tenant>/v2.0} */
    EntraTenant(String authority, HttpClient http, Clock clock) {
        this.authority = authority.replaceAll("/+$", "");
        this.http = http;
        this.clock = clock;
    }

    Metadata metadata() {
        Metadata read = metadata;
        if (read == null) {
            synchronized (this) {
                read = metadata;
                if (read == null) {
                    read = read();
                    metadata = read;
                }
            }
        }
        return read;
    }

    private Metadata read() {
        JsonNode configuration = get(authority + "/.well-known/openid-configuration");
        String issuer = configuration.path("issuer").asText();
        // https://login.microsoftonline.com/<tenant id>/v2.0: the tenant is the path's first segment.
        String[] path = URI.create(issuer).getPath().split("/");
        if (path.length < 2 || path[1].isEmpty()) {
            throw new UnreadableException("the tenant's OpenID configuration names no tenant in its issuer");
        }
        URL keys;
        try {
            keys = URI.create(configuration.path("jwks_uri").asText()).toURL();
        } catch (IllegalArgumentException | IOException e) {
            throw new UnreadableException("the tenant's OpenID configuration names no key set");
        }
        JWKSource<SecurityContext> built = JWKSourceBuilder.create(keys, this::retrieve)
                .cache(KEYS_LIVE.toMillis(), TIMEOUT.toMillis()).refreshAheadCache(false)
                .rateLimited(KEY_READS_APART.toMillis()).build();
        ClockedKeys clocked = new ClockedKeys(((JWKSetBasedJWKSource<SecurityContext>) built).getJWKSetSource(), clock);
        return new Metadata(issuer, Set.of(issuer, "https://sts.windows.net/" + path[1] + "/"),
                uri(configuration, "authorization_endpoint"), uri(configuration, "token_endpoint"), clocked);
    }

    private static URI uri(JsonNode configuration, String field) {
        String value = configuration.path(field).asText("");
        try {
            return value.isEmpty() ? null : URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new UnreadableException("the tenant's OpenID configuration has no usable " + field);
        }
    }

    /**
     * nimbus's {@code JWKSetBasedJWKSource} reads the machine's clock; this is the same two reads
     * (the cached set, then a fresh one only if no key matches) with the injected clock. A read the rate limit
     * refuses is no key: the token is refused as not the tenant's.
     */
    private record ClockedKeys(JWKSetSource<SecurityContext> source, Clock clock) implements JWKSource<SecurityContext> {
        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
            long now = clock.millis();
            try {
                JWKSet cached = source.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
                List<JWK> matching = selector.select(cached);
                if (matching.isEmpty()) {
                    matching = selector.select(source.getJWKSet(
                            JWKSetCacheRefreshEvaluator.referenceComparison(cached), now, context));
                }
                return matching;
            } catch (RateLimitReachedException e) {
                return List.of();
            }
        }
    }

    /** nimbus's retriever, over the app's HTTP client (which trusts the local emulator's certificate). */
    private Resource retrieve(URL url) throws IOException {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(URI.create(url.toString())).timeout(TIMEOUT)
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(KEYS_SIZE_LIMIT + 1);
            if (bytes.length > KEYS_SIZE_LIMIT) {
                throw new IOException("the tenant's key set is larger than " + KEYS_SIZE_LIMIT + " bytes");
            }
            if (response.statusCode() != 200) {
                throw new IOException("the tenant's keys answered " + response.statusCode());
            }
            return new Resource(new String(bytes, StandardCharsets.UTF_8),
                    response.headers().firstValue("Content-Type").orElse("application/json"));
        }
    }

    private JsonNode get(String url) {
        try {
            HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new UnreadableException("the tenant's configuration could not be read: " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UnreadableException("the tenant's configuration could not be read: " + e.getMessage());
        }
    }

    /** A call to the tenant over the app's client. */
    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + request.uri(), e);
        }
    }
}
