package org.dsvmpools.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dsvmpools.pool.Caller;

/**
 * Checks the API's bearer tokens itself, as Microsoft's docs require on Flex Consumption, where App Service
 * Authentication does not block unauthenticated callers: signed RS256 by one of the tenant's published keys (read
 * from the authority's OpenID configuration, read again for an unknown key at most every five minutes, as Entra
 * rolls its keys), from
 * the tenant's issuer (v2.0, or v1.0's {@code sts.windows.net} form), for this API's audience, within its validity
 * (five minutes' skew), with an object id. The caller is the token's object id, name and app roles.
 */
public final class EntraAccessTokens {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String authority;
    private final Set<String> audiences;
    private final HttpClient http;
    private final Clock clock;
    /** How often an unknown key may send the app to read the tenant's keys again. */
    private static final Duration KEY_REFRESH = Duration.ofMinutes(5);
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
    private Instant keysReadAt;
    private volatile JsonNode configuration;

    /** A token the API does not accept; its message says why, for the 401 answer. */
    public static final class RejectedTokenException extends RuntimeException {
        RejectedTokenException(String message) {
            super(message);
        }
    }

    /**
     * @param authority the tenant's authority, {@code https://login.microsoftonline.com/<tenant>/v2.0}
     * @param audience  the API's application id URI ({@code api://<client id>}); its bare client id is accepted too
     */
    public EntraAccessTokens(String authority, String audience, HttpClient http, Clock clock) {
        this.authority = authority.replaceAll("/+$", "");
        this.audiences = Set.of(audience, audience.replaceFirst("^api://", ""));
        this.http = http;
        this.clock = clock;
    }

    /** The caller an {@code Authorization} header's bearer token names; a missing header is refused too. */
    public Caller fromAuthorization(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RejectedTokenException("this needs an Entra ID access token: Authorization: Bearer <token>");
        }
        return caller(authorization.substring(7).trim());
    }

    public Caller caller(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new RejectedTokenException("the bearer token is not a JWT");
        }
        JsonNode header = decode(parts[0]);
        JsonNode claims = decode(parts[1]);
        if (!"RS256".equals(header.path("alg").asText())) {
            throw new RejectedTokenException("the bearer token is not signed RS256");
        }
        if (!verifies(parts, header.path("kid").asText())) {
            throw new RejectedTokenException("the bearer token's signature is not the tenant's");
        }
        String issuer = claims.path("iss").asText();
        String tenant = configuration().path("issuer").asText();
        String v1 = "https://sts.windows.net/" + claims.path("tid").asText() + "/";
        if (!issuer.equals(tenant) && !(issuer.equals(v1) && tenant.contains("/" + claims.path("tid").asText() + "/"))) {
            throw new RejectedTokenException("the bearer token is from another issuer: " + issuer);
        }
        if (!audiences.contains(claims.path("aud").asText())) {
            throw new RejectedTokenException("the bearer token is for another audience: " + claims.path("aud").asText());
        }
        long now = clock.instant().getEpochSecond();
        if (claims.path("exp").asLong(0) + SKEW.toSeconds() < now) {
            throw new RejectedTokenException("the bearer token has expired");
        }
        if (claims.path("nbf").asLong(0) - SKEW.toSeconds() > now) {
            throw new RejectedTokenException("the bearer token is not valid yet");
        }
        String oid = claims.path("oid").asText("");
        if (oid.isEmpty()) {
            throw new RejectedTokenException("the bearer token names no object id");
        }
        Set<String> roles = new HashSet<>();
        claims.path("roles").forEach(role -> roles.add(role.asText()));
        String name = claims.path("name").asText(claims.path("preferred_username").asText(oid));
        return new Caller(oid, name, roles);
    }

    private boolean verifies(String[] parts, String kid) {
        PublicKey key = keys.get(kid);
        if (key == null && loadKeysIfDue()) {
            key = keys.get(kid);
        }
        if (key == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Reads the tenant's keys when none were read yet or the last read is older than {@link #KEY_REFRESH}: a token
     * naming an unknown key is a reason to look again (Entra rolls its keys), but anyone can send such tokens to an
     * anonymous route, and each must not cost a call to Entra.
     */
    private synchronized boolean loadKeysIfDue() {
        Instant now = clock.instant();
        if (keysReadAt != null && keysReadAt.plus(KEY_REFRESH).isAfter(now)) {
            return false;
        }
        keysReadAt = now;
        loadKeys();
        return true;
    }

    private void loadKeys() {
        for (JsonNode jwk : get(configuration().path("jwks_uri").asText()).path("keys")) {
            if (!"RSA".equals(jwk.path("kty").asText())) {
                continue;
            }
            try {
                keys.put(jwk.path("kid").asText(), KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("n").asText())),
                        new BigInteger(1, Base64.getUrlDecoder().decode(jwk.path("e").asText())))));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // A key this JDK cannot read cannot have signed a token it accepts.
            }
        }
    }

    private JsonNode configuration() {
        JsonNode read = configuration;
        if (read == null) {
            read = get(authority + "/.well-known/openid-configuration");
            configuration = read;
        }
        return read;
    }

    private JsonNode get(String url) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new RejectedTokenException("the tenant's keys could not be read: " + response.statusCode());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RejectedTokenException("the tenant's keys could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedTokenException("interrupted while reading the tenant's keys");
        }
    }

    private static JsonNode decode(String part) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(part));
        } catch (IOException | IllegalArgumentException e) {
            throw new RejectedTokenException("the bearer token is not a JWT");
        }
    }
}
