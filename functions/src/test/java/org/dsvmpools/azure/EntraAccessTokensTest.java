package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.dsvmpools.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens naming a key the app does not know send it to the tenant's keys at most every five minutes: anyone can
 * send such tokens to the anonymous usage route, and each must not cost a call to Entra.
 */
class EntraAccessTokensTest {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));
    private final AtomicInteger keyReads = new AtomicInteger();
    private HttpServer tenant;
    private KeyPair key;
    private String authority;

    @BeforeEach
    void tenant() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        key = generator.generateKeyPair();
        tenant = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        authority = "http://127.0.0.1:" + tenant.getAddress().getPort() + "/tenant/v2.0";
        tenant.createContext("/tenant/v2.0/.well-known/openid-configuration", exchange -> answer(exchange,
                "{\"issuer\":\"" + authority + "\",\"jwks_uri\":\"http://127.0.0.1:" + tenant.getAddress().getPort()
                        + "/keys\"}"));
        tenant.createContext("/keys", exchange -> {
            keyReads.incrementAndGet();
            RSAPublicKey rsa = (RSAPublicKey) key.getPublic();
            answer(exchange, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"n\":\"" + B64.encodeToString(unsigned(
                    rsa.getModulus())) + "\",\"e\":\"" + B64.encodeToString(unsigned(rsa.getPublicExponent()))
                    + "\"}]}");
        });
        tenant.start();
    }

    @AfterEach
    void stop() {
        tenant.stop(0);
    }

    @Test
    void unknownKeysReadTheTenantsKeysAtMostEveryFiveMinutes() throws Exception {
        EntraAccessTokens tokens = new EntraAccessTokens(authority, "api://usage", HttpClient.newHttpClient(), clock);
        assertThat(tokens.caller(token("k1")).id()).isEqualTo("oid-1");
        assertThat(keyReads).hasValue(1);

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> tokens.caller(token("unknown"))).hasMessageContaining("signature");
        }
        assertThat(keyReads).as("no read for each unknown key").hasValue(1);

        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> tokens.caller(token("unknown"))).hasMessageContaining("signature");
        assertThat(keyReads).as("one read once five minutes have passed").hasValue(2);
    }

    private String token(String kid) throws Exception {
        String header = B64.encodeToString(("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        long now = clock.instant().getEpochSecond();
        String body = B64.encodeToString(("{\"iss\":\"" + authority + "\",\"aud\":\"api://usage\",\"oid\":\"oid-1\","
                + "\"tid\":\"tenant\",\"nbf\":" + now + ",\"exp\":" + (now + 3600) + "}").getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key.getPrivate());
        signer.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
        return header + "." + body + "." + B64.encodeToString(signer.sign());
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws java.io.IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
