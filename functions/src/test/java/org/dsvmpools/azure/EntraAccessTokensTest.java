package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token checks against a tenant served here: its OpenID configuration and a key set the test rotates, with
 * tokens signed as Entra signs them. Each finding of #27's item 7 is one test.
 */
class EntraAccessTokensTest {
    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private static final String AUDIENCE = "api://usage";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final AtomicInteger keyReads = new AtomicInteger();
    private final AtomicReference<List<RSAKey>> published = new AtomicReference<>();
    private HttpServer tenant;
    private RSAKey k1;
    private RSAKey k2;
    private String issuer;
    private String authority;

    @BeforeEach
    void tenant() throws Exception {
        k1 = new RSAKeyGenerator(2048).keyID("k1").generate();
        k2 = new RSAKeyGenerator(2048).keyID("k2").generate();
        published.set(List.of(k1));
        tenant = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String base = "http://127.0.0.1:" + tenant.getAddress().getPort();
        authority = base + "/" + TENANT + "/v2.0";
        issuer = base + "/" + TENANT + "/v2.0";
        tenant.createContext("/" + TENANT + "/v2.0/.well-known/openid-configuration", exchange -> answer(exchange,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + base + "/keys\"}"));
        tenant.createContext("/keys", exchange -> {
            keyReads.incrementAndGet();
            answer(exchange, new JWKSet(published.get().stream().map(key -> (com.nimbusds.jose.jwk.JWK)
                    key.toPublicJWK()).toList()).toString());
        });
        tenant.start();
    }

    @AfterEach
    void stop() {
        tenant.stop(0);
    }

    private EntraAccessTokens usage() {
        return new EntraAccessTokens(authority, AUDIENCE, EntraAccessTokens.Presenters.ANY_APPLICATION,
                HttpClient.newHttpClient(), clock);
    }

    private EntraAccessTokens api() {
        return new EntraAccessTokens(authority, AUDIENCE, EntraAccessTokens.Presenters.delegatedOrRoles(
                "user_impersonation", Set.of(Caller.ADMIN_ROLE, Caller.APPLICATION_ROLE)),
                HttpClient.newHttpClient(), clock);
    }

    @Test
    void unknownKeysReadTheTenantsKeysAtMostTwiceInFiveMinutes() throws Exception {
        EntraAccessTokens tokens = usage();
        assertThat(tokens.caller(token(k1, claims -> { })).id()).isEqualTo("oid-1");
        assertThat(keyReads).hasValue(1);

        RSAKey stranger = new RSAKeyGenerator(2048).keyID("unknown").generate();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> tokens.caller(token(stranger, claims -> { }))).hasMessageContaining("signature");
        }
        assertThat(keyReads).as("one more read, then the rate limit").hasValue(2);

        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> tokens.caller(token(stranger, claims -> { }))).hasMessageContaining("signature");
        assertThat(keyReads).as("a read once five minutes have passed").hasValue(3);
    }

    @Test
    void aKeyTheTenantNoLongerPublishesStopsVerifyingOnceTheKeysAreReadAgain() throws Exception {
        EntraAccessTokens tokens = usage();
        String old = token(k1, claims -> { });
        assertThat(tokens.caller(old).id()).isEqualTo("oid-1");

        published.set(List.of(k2));
        assertThat(tokens.caller(token(k2, claims -> { })).id()).as("a new key is read at once").isEqualTo("oid-1");
        assertThatThrownBy(() -> tokens.caller(old)).as("the set read for k2 no longer has k1")
                .hasMessageContaining("signature is not the tenant's");

        clock.advance(EntraAccessTokens.KEYS_LIVE.plusMinutes(1));
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> { }))).hasMessageContaining("signature");
    }

    @Test
    void theIssuerIsExactlyThisTenantsV2OrV1FormNeverOneTheTokenNames() throws Exception {
        EntraAccessTokens tokens = usage();
        assertThat(tokens.caller(token(k1, claims -> claims.issuer("https://sts.windows.net/" + TENANT + "/")))
                .id()).isEqualTo("oid-1");

        String other = "0b6d7b0b-1111-4a4a-9b9b-123456789abc";
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.issuer("https://sts.windows.net/" + other
                + "/").claim("tid", other)))).hasMessageContaining("another issuer");
        // The old check built the v1 issuer from the token's own tid and only asked that the tenant's issuer contain it.
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.issuer("https://sts.windows.net/"
                + TENANT + "/v2.0/").claim("tid", TENANT + "/v2.0")))).hasMessageContaining("another issuer");
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.issuer("https://sts.windows.net/127.0.0.1:"
                + tenant.getAddress().getPort() + "/").claim("tid", "127.0.0.1:" + tenant.getAddress().getPort()))))
                .hasMessageContaining("another issuer");
    }

    @Test
    void anIdTokenIsNoAccessToken() throws Exception {
        EntraAccessTokens tokens = usage();
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.claim("azp", null))))
                .hasMessageContaining("not an access token");
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.claim("nonce", "n-1"))))
                .hasMessageContaining("not an access token");
        assertThat(tokens.caller(token(k1, claims -> claims.claim("azp", null).claim("appid", "client-1"))).id())
                .as("a v1.0 access token names its client in appid").isEqualTo("oid-1");
    }

    @Test
    void theApiTakesDelegatedTokensWithItsScopeOrItsAppRolesAndNoManagedIdentity() throws Exception {
        EntraAccessTokens tokens = api();
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.claim("idtyp", "app"))))
                .as("a managed identity's app-only token").hasMessageContaining("neither the API's scope");
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.claim("scp", "Other.Read"))))
                .hasMessageContaining("neither the API's scope");

        Caller user = tokens.caller(token(k1, claims -> claims.claim("scp", "openid user_impersonation")));
        assertThat(user.isAdmin()).isFalse();
        Caller pipeline = tokens.caller(token(k1, claims -> claims.claim("roles", List.of(Caller.APPLICATION_ROLE))));
        assertThat(pipeline.roles()).containsExactly(Caller.APPLICATION_ROLE);
        assertThat(tokens.caller(token(k1, claims -> claims.claim("roles", List.of(Caller.ADMIN_ROLE)))).isAdmin())
                .isTrue();
    }

    /**
     * The front door's SSH route (#29) takes only a user's delegated token with its one scope, and gives the
     * names the roster is matched by; an app's token (a VM's identity, an app role) carries no scope, so no.
     */
    @Test
    void theDoorsConnectRouteTakesOnlyAUsersTokenWithItsScopeAndNamesTheHolder() throws Exception {
        EntraAccessTokens tokens = new EntraAccessTokens(authority, AUDIENCE,
                EntraAccessTokens.Presenters.delegated("Pools.Connect"), HttpClient.newHttpClient(), clock);
        assertThatThrownBy(() -> tokens.holderOf("Bearer " + token(k1, claims -> claims.claim("roles",
                List.of(Caller.ADMIN_ROLE))))).hasMessageContaining("not a user's token with the scope Pools.Connect");
        assertThatThrownBy(() -> tokens.holderOf("Bearer " + token(k1, claims -> claims.claim("scp",
                "user_impersonation")))).hasMessageContaining("Pools.Connect");

        EntraAccessTokens.Holder holder = tokens.holderOf("Bearer " + token(k1, claims -> claims
                .claim("scp", "Pools.Connect").claim("preferred_username", "alice@contoso.com")
                .claim("name", "Alice").claim("roles", List.of(Caller.ADMIN_ROLE))));
        assertThat(holder).isEqualTo(new EntraAccessTokens.Holder("oid-1", "Alice", "alice@contoso.com", "",
                Set.of(Caller.ADMIN_ROLE)));
        assertThat(tokens.holderOf("Bearer " + token(k1, claims -> claims.claim("scp", "Pools.Connect")
                .claim("upn", "bob@contoso.com"))).signInName()).as("a v1.0 token's upn").isEqualTo("bob@contoso.com");
    }

    @Test
    void expiredNotYetValidForeignAudienceWithoutObjectIdOrUnsignedTokensAreRefusedWithTheReason() throws Exception {
        EntraAccessTokens tokens = usage();
        Date now = Date.from(clock.instant());
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.expirationTime(new Date(now.getTime()
                - 6 * 60_000))))).hasMessageContaining("expired");
        assertThat(tokens.caller(token(k1, claims -> claims.expirationTime(new Date(now.getTime() - 4 * 60_000))))
                .id()).as("within five minutes' skew").isEqualTo("oid-1");
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.notBeforeTime(new Date(now.getTime()
                + 6 * 60_000))))).hasMessageContaining("not valid yet");
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.audience("api://someone-else"))))
                .hasMessageContaining("another audience: api://someone-else");
        assertThatThrownBy(() -> tokens.caller(token(k1, claims -> claims.claim("oid", null))))
                .hasMessageContaining("no object id");
        String[] parts = token(k1, claims -> { }).split("\\.");
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}"
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        assertThatThrownBy(() -> tokens.caller(none)).hasMessageContaining("not signed RS256");
        assertThatThrownBy(() -> tokens.caller("x.y")).hasMessageContaining("not a JWT");
        assertThatThrownBy(() -> tokens.fromAuthorization(null)).hasMessageContaining("Authorization: Bearer");
    }

    /** A v2.0 access token by {@code key}, as Entra issues one to an application; {@code changes} alter it. */
    private String token(RSAKey key, Consumer<JWTClaimsSet.Builder> changes) throws Exception {
        Date now = Date.from(clock.instant());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience(AUDIENCE)
                .claim("oid", "oid-1").claim("tid", TENANT).claim("azp", "client-1").claim("ver", "2.0")
                .issueTime(now).notBeforeTime(now).expirationTime(new Date(now.getTime() + 3_600_000));
        changes.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims.build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws java.io.IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
