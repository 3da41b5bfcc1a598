package org.dsvmpools.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
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
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dsvmpools.pool.Caller;

/**
 * Checks Entra access tokens with nimbus-jose-jwt, as Microsoft's docs require on Flex Consumption, where App
 * Service Authentication does not block unauthenticated callers:
 * <ul>
 *   <li>signed RS256 by a key the tenant publishes now: the key set is nimbus's cache of the authority's
 *       {@code jwks_uri}, replaced whole on each read (a key the tenant dropped stops verifying at the next read),
 *       read again after {@link #KEYS_LIVE} or for an unknown key, and at most twice in {@link #KEY_READS_APART}
 *       however many unknown keys arrive: the usage route is anonymous, and a forged {@code kid} must not cost a
 *       call to Entra each;</li>
 *   <li>from exactly this tenant: its v2.0 issuer from the OpenID configuration, or the v1.0 form
 *       {@code https://sts.windows.net/<that tenant>/}, never a tenant the token names itself;</li>
 *   <li>for the audience, within its validity (five minutes' skew), with an object id;</li>
 *   <li>an access token: Entra names the client an access token was issued to ({@code appid} in v1.0,
 *       {@code azp} in v2.0); an id token names none and carries a {@code nonce} or hashes instead (Microsoft's
 *       access token and ID token claims references), so it is refused;</li>
 *   <li>from whom the route takes: the API only delegated tokens with its scope or tokens with one of its app
 *       roles, which no managed identity has unless an administrator assigns it, so no VM's or hub's identity
 *       calls the API; the usage route any application, whose principal the report's pool then binds.</li>
 * </ul>
 * The caller is the token's object id, name and app roles. Time is the injected clock's, for the claims and for
 * the key cache alike.
 */
public final class EntraAccessTokens {
    private static final int SKEW_SECONDS = 300;
    static final Duration KEYS_LIVE = EntraTenant.KEYS_LIVE;
    static final Duration KEY_READS_APART = EntraTenant.KEY_READS_APART;
    /** The claims only an id token carries (ID token claims reference). */
    private static final Set<String> ID_TOKEN_CLAIMS = Set.of("nonce", "at_hash", "c_hash");

    private final EntraTenant tenant;
    private final Set<String> audiences;
    private final Presenters presenters;
    private final Clock clock;
    private volatile Checker checker;

    /** Who may present a token for this audience, beyond its being a valid access token. */
    public interface Presenters {
        /** @return why the token's holder may not call here, or empty */
        Optional<String> refusal(JWTClaimsSet claims);

        /**
         * A user's delegated token carrying {@code scope}: the front door's command-line client, which signs a
         * person in and acts as them (a managed identity or another app has no {@code scp}).
         */
        static Presenters delegated(String scope) {
            return claims -> {
                Object scopes = claims.getClaim("scp");
                return scopes instanceof String text && Set.of(text.split(" ")).contains(scope) ? Optional.empty()
                        : Optional.of("the bearer token is not a user's token with the scope " + scope);
            };
        }

        /** The usage route: any application; which one may speak for which pool is the report's binding. */
        Presenters ANY_APPLICATION = claims -> Optional.empty();

        /**
         * The API: a user's delegated token with {@code scope} among its {@code scp}, or a token with one of
         * {@code appRoles}. A managed identity has neither: it gets app-only tokens, with app roles only if assigned.
         */
        static Presenters delegatedOrRoles(String scope, Set<String> appRoles) {
            return claims -> {
                Object scopes = claims.getClaim("scp");
                if (scopes instanceof String text && Set.of(text.split(" ")).contains(scope)) {
                    return Optional.empty();
                }
                if (roles(claims).stream().anyMatch(appRoles::contains)) {
                    return Optional.empty();
                }
                return Optional.of("the bearer token carries neither the API's scope " + scope
                        + " nor one of its app roles " + String.join(", ", appRoles.stream().sorted().toList())
                        + " (managed identities have neither)");
            };
        }
    }

    /** A token the route does not accept; its message says why, for the 401 answer. */
    public static final class RejectedTokenException extends RuntimeException {
        RejectedTokenException(String message) {
            super(message);
        }
    }

    /**
     * @param authority  the tenant's authority, {@code https://login.microsoftonline.com/<tenant>/v2.0}
     * @param audience   an application id URI ({@code api://<client id>}); its bare client id is accepted too, as
     *                   v2.0 tokens carry it
     * @param presenters whom this route takes tokens from
     */
    public EntraAccessTokens(String authority, String audience, Presenters presenters, HttpClient http, Clock clock) {
        this.tenant = new EntraTenant(authority, http, clock);
        this.audiences = Set.of(audience, audience.replaceFirst("^api://", ""));
        this.presenters = presenters;
        this.clock = clock;
    }

    /** The caller an {@code Authorization} header's bearer token names; a missing header is refused too. */
    public Caller fromAuthorization(String authorization) {
        Holder holder = holderOf(authorization);
        return new Caller(holder.objectId(), holder.name(), holder.roles());
    }

    public Caller caller(String token) {
        Holder holder = holder(token);
        return new Caller(holder.objectId(), holder.name(), holder.roles());
    }

    /**
     * Who holds a checked token, with the names a roster is matched by.
     *
     * @param signInName {@code preferred_username}, or empty
     * @param email      {@code email} (an optional claim), or empty
     */
    public record Holder(String objectId, String name, String signInName, String email, Set<String> roles) {
    }

    /** The holder of an {@code Authorization} header's bearer token; a missing header is refused too. */
    public Holder holderOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RejectedTokenException("this needs an Entra ID access token: Authorization: Bearer <token>");
        }
        return holder(authorization.substring(7).trim());
    }

    private Holder holder(String token) {
        SignedJWT jwt = parsed(token);
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new RejectedTokenException("the bearer token is not signed RS256");
        }
        Checker check = checker();
        JWTClaimsSet claims;
        try {
            claims = check.processor().process(jwt, null);
        } catch (ExpiredJWTException e) {
            throw new RejectedTokenException("the bearer token has expired");
        } catch (BadJWSException e) {
            throw new RejectedTokenException("the bearer token's signature is not the tenant's");
        } catch (BadJOSEException e) {
            throw new RejectedTokenException(reason(jwt, e));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new RejectedTokenException("the bearer token could not be checked: " + e.getMessage());
        }
        String issuer = claims.getIssuer();
        if (!check.issuers().contains(issuer)) {
            throw new RejectedTokenException("the bearer token is from another issuer: " + issuer);
        }
        if (claims.getClaim("appid") == null && claims.getClaim("azp") == null) {
            throw new RejectedTokenException("the bearer token is not an access token (it names no client: an id token?)");
        }
        presenters.refusal(claims).ifPresent(why -> {
            throw new RejectedTokenException(why);
        });
        String oid = String.valueOf(claims.getClaim("oid"));
        Object name = Optional.ofNullable(claims.getClaim("name")).orElse(claims.getClaim("preferred_username"));
        // A v1.0 token (an API whose registration leaves accessTokenAcceptedVersion unset) names the account in
        // upn or unique_name instead of preferred_username (Microsoft's access token claims reference).
        String signInName = java.util.stream.Stream.of("preferred_username", "upn", "unique_name")
                .map(claim -> text(claims, claim)).filter(value -> !value.isBlank()).findFirst().orElse("");
        return new Holder(oid, name == null || name.toString().isBlank() ? oid : name.toString(), signInName,
                text(claims, "email"), roles(claims));
    }

    private static String text(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String text ? text : "";
    }

    private static SignedJWT parsed(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new RejectedTokenException("the bearer token is not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw new RejectedTokenException("the bearer token is not signed RS256");
        }
        return signed;
    }

    /** nimbus's refusals other than expiry and signature, said in the API's words. */
    private String reason(SignedJWT jwt, BadJOSEException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("no matching key")) {
            return "the bearer token's signature is not the tenant's";
        }
        if (message.contains("before use time")) {
            return "the bearer token is not valid yet";
        }
        if (message.contains("aud claim")) {
            return "the bearer token is for another audience: " + audience(jwt);
        }
        if (message.contains("prohibited claims")) {
            return "the bearer token is not an access token (it carries an id token's claims)";
        }
        if (message.contains("missing required claims") && message.contains("oid")) {
            return "the bearer token names no object id";
        }
        return "the bearer token is refused: " + message;
    }

    private static String audience(SignedJWT jwt) {
        try {
            return String.join(", ", jwt.getJWTClaimsSet().getAudience());
        } catch (ParseException e) {
            return "none";
        }
    }

    private static Set<String> roles(JWTClaimsSet claims) {
        Set<String> roles = new HashSet<>();
        if (claims.getClaim("roles") instanceof List<?> listed) {
            listed.forEach(role -> roles.add(String.valueOf(role)));
        }
        return roles;
    }

    /** What checks a token: nimbus's processor over the tenant's keys, and the tenant's two issuer forms. */
    private record Checker(DefaultJWTProcessor<SecurityContext> processor, Set<String> issuers) {
    }

    /** Made at the first token: the tenant's OpenID configuration names its issuer and key set. */
    private Checker checker() {
        Checker made = checker;
        if (made == null) {
            synchronized (this) {
                made = checker;
                if (made == null) {
                    made = newChecker();
                    checker = made;
                }
            }
        }
        return made;
    }

    private Checker newChecker() {
        EntraTenant.Metadata tenant;
        try {
            tenant = this.tenant.metadata();
        } catch (EntraTenant.UnreadableException e) {
            throw new RejectedTokenException(e.getMessage());
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // Entra's access tokens say typ JWT; a token without typ is let through to the claims' checks.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, tenant.keys()));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audiences, null,
                Set.of("iss", "exp", "oid"), ID_TOKEN_CLAIMS) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        return new Checker(processor, tenant.issuers());
    }
}
