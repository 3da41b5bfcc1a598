package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dsvmpools.azure.EntraAccessTokens;
import org.dsvmpools.pool.Caller;

/**
 * Reads the caller from the headers App Service Authentication adds: {@code X-MS-CLIENT-PRINCIPAL} (base64
 * JSON with the token's claims) and {@code X-MS-CLIENT-PRINCIPAL-ID}. App Service strips both from incoming
 * requests when authentication is on, so they can be trusted then; when it is off, anybody could send them, so
 * a principal header is refused rather than believed. A header that does not parse is refused too: ignoring it
 * would turn a broken identity into the function-key identity.
 */
public final class ClientPrincipals {
    static final String PRINCIPAL_HEADER = "x-ms-client-principal";
    static final String PRINCIPAL_ID_HEADER = "x-ms-client-principal-id";
    private static final String OBJECT_ID_CLAIM = "http://schemas.microsoft.com/identity/claims/objectidentifier";
    private static final String DEFAULT_NAME_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
    private static final String DEFAULT_ROLE_CLAIM = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean platformAuthEnabled;
    private final EntraAccessTokens tokens;

    public ClientPrincipals(boolean platformAuthEnabled) {
        this(platformAuthEnabled, null);
    }

    /**
     * @param tokens checks the callers' Entra bearer tokens (Flex Consumption, where App Service Authentication
     *               blocks nobody); null: the caller is the platform's principal header, or the function key
     */
    public ClientPrincipals(boolean platformAuthEnabled, EntraAccessTokens tokens) {
        this.platformAuthEnabled = platformAuthEnabled;
        this.tokens = tokens;
    }

    /** Thrown for a principal header that cannot be trusted; answered with 401. */
    public static final class UntrustedPrincipalException extends RuntimeException {
        UntrustedPrincipalException(String message) {
            super(message);
        }
    }

    /** @param headers request headers, names in lower case */
    public Caller caller(Map<String, String> headers) {
        if (tokens != null) {
            return bearer(headers.get("authorization"));
        }
        String encoded = headers.get(PRINCIPAL_HEADER);
        if (encoded == null) {
            return Caller.FUNCTION_KEY;
        }
        if (!platformAuthEnabled) {
            throw new UntrustedPrincipalException(
                    "X-MS-CLIENT-PRINCIPAL was sent but App Service Authentication is off, so it cannot be trusted");
        }
        JsonNode principal = decode(encoded);
        Optional<String> id = claim(principal, OBJECT_ID_CLAIM).or(() -> claim(principal, "oid"));
        if (id.isEmpty()) {
            throw new UntrustedPrincipalException("X-MS-CLIENT-PRINCIPAL names no object id");
        }
        if (!id.get().equals(headers.get(PRINCIPAL_ID_HEADER))) {
            throw new UntrustedPrincipalException("X-MS-CLIENT-PRINCIPAL does not match X-MS-CLIENT-PRINCIPAL-ID");
        }
        String nameClaim = principal.path("name_typ").asText(DEFAULT_NAME_CLAIM);
        String name = claim(principal, nameClaim).or(() -> claim(principal, "name")).orElse(id.get());
        return new Caller(id.get(), name, roles(principal));
    }

    /** Every call carries an Entra access token for the API: no token, no caller. */
    private Caller bearer(String authorization) {
        try {
            return tokens.fromAuthorization(authorization);
        } catch (EntraAccessTokens.RejectedTokenException e) {
            throw new UntrustedPrincipalException(e.getMessage());
        }
    }

    private static JsonNode decode(String encoded) {
        try {
            JsonNode principal = JSON.readTree(Base64.getMimeDecoder().decode(encoded));
            if (principal == null || !principal.path("claims").isArray()) {
                throw new UntrustedPrincipalException("X-MS-CLIENT-PRINCIPAL has no claims");
            }
            return principal;
        } catch (IOException | IllegalArgumentException e) {
            throw new UntrustedPrincipalException("X-MS-CLIENT-PRINCIPAL is not base64-encoded JSON");
        }
    }

    private static Set<String> roles(JsonNode principal) {
        String roleClaim = principal.path("role_typ").asText(DEFAULT_ROLE_CLAIM);
        Set<String> roles = new HashSet<>();
        for (JsonNode claim : principal.get("claims")) {
            String type = claim.path("typ").asText();
            if (type.equals(roleClaim) || type.equals("roles")) {
                roles.add(claim.path("val").asText());
            }
        }
        return roles;
    }

    private static Optional<String> claim(JsonNode principal, String type) {
        for (JsonNode claim : principal.get("claims")) {
            if (type.equals(claim.path("typ").asText()) && claim.path("val").isTextual()) {
                return Optional.of(claim.path("val").asText());
            }
        }
        return Optional.empty();
    }
}
