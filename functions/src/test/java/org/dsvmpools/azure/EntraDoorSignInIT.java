package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.dsvmpools.door.IdentityProvider;
import org.dsvmpools.door.SignedInUser;
import org.dsvmpools.kit.SystemClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The front door's sign-in against the emulator's Entra ID, which refuses as Entra does: the whole code flow
 * with PKCE and a federated client assertion, and each way it fails said in the refusal.
 */
class EntraDoorSignInIT extends LocalCloudTest {
    private static final String DOOR_APP = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
    private static final String UNTRUSTING_APP = "4d5e6f7a-8b9c-4dae-9f10-2b3c4d5e6f70";
    private static final URI CALLBACK = URI.create("https://door.example/api/door/signed-in");
    private static final String ALICE = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f";
    private static HttpClient http;

    @BeforeAll
    static void doorApps() {
        http = HttpClient.newBuilder().sslContext(local.trust()).build();
        for (String app : List.of(DOOR_APP, UNTRUSTING_APP)) {
            ObjectNode registration = new ObjectMapper().createObjectNode();
            registration.putObject("web").putArray("redirectUris").add(CALLBACK.toString());
            registration.putArray("federatedIdentityCredentials").addObject()
                    .put("issuer", local.emulator.entraAuthority())
                    .put("subject", app.equals(DOOR_APP) ? org.dsvmpools.emulator.AzureEmulator.CONTROL_PLANE_PRINCIPAL
                            : UUID.randomUUID().toString()).putArray("audiences").add("api://AzureADTokenExchange");
            local.emulator.registerApplication(app, registration, false);
        }
        local.emulator.setGroupMembers(UUID.randomUUID().toString(), List.of(new ObjectMapper().createObjectNode()
                .put("id", ALICE).put("mail", "alice@contoso.com").put("userPrincipalName", "alice@contoso.com")
                .put("displayName", "Alice")));
    }

    /** The Function App's identity: the emulator's metadata endpoint, asked without a client id. */
    private static TokenCredential controlPlane() {
        return request -> Mono.fromCallable(() -> new AccessToken(local.emulator.controlPlaneToken(
                request.getScopes().get(0).replaceFirst("/\\.default$", "")), OffsetDateTime.now().plusHours(1)));
    }

    private static EntraDoorSignIn door(String app) {
        return new EntraDoorSignIn(local.emulator.entraAuthority(), app, CALLBACK, EntraDoorSignInIT::controlPlane,
                http, SystemClock.utc());
    }

    /** The browser's part: the tenant's form, answered with the account's name; the redirect's query. */
    private static Map<String, String> signInAt(URI authorize, String login) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(authorize)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("login=" + URLEncoder.encode(login, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
        URI location = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(CALLBACK.toString());
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : location.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    @Test
    void aCodeFlowWithPkceAndTheAppsIdentityAsAssertionSignsTheUserIn() throws Exception {
        EntraDoorSignIn door = door(DOOR_APP);
        IdentityProvider.Started started = door.start();

        SignedInUser user = door.finish(signInAt(started.authorize(), "alice@contoso.com"), started);

        assertThat(started.authorize().getQuery()).contains("code_challenge_method=S256", "response_mode=query",
                "nonce=" + started.nonce(), "scope=openid+profile+email");
        assertThat(started.authorize().getQuery()).doesNotContain(started.verifier());
        assertThat(user).isEqualTo(new SignedInUser(ALICE, "alice@contoso.com", "alice@contoso.com", "Alice"));
    }

    @Test
    void anotherSignInsVerifierOrNonceOrStateIsRefused() throws Exception {
        EntraDoorSignIn door = door(DOOR_APP);
        IdentityProvider.Started first = door.start();
        IdentityProvider.Started second = door.start();
        Map<String, String> callback = signInAt(first.authorize(), "alice@contoso.com");

        assertThatThrownBy(() -> door.finish(callback, second)).isInstanceOf(IdentityProvider.Refused.class)
                .hasMessageContaining("another sign-in");
        IdentityProvider.Started wrongVerifier = new IdentityProvider.Started(first.authorize(), first.state(),
                first.nonce(), second.verifier());
        assertThatThrownBy(() -> door.finish(callback, wrongVerifier)).hasMessageContaining("AADSTS501481");
        Map<String, String> fresh = signInAt(first.authorize(), "alice@contoso.com");
        IdentityProvider.Started wrongNonce = new IdentityProvider.Started(first.authorize(), first.state(),
                second.nonce(), first.verifier());
        assertThatThrownBy(() -> door.finish(fresh, wrongNonce)).hasMessageContaining("id token did not check");
    }

    @Test
    void anAppThatDoesNotTrustTheAppsIdentityCannotRedeem() throws Exception {
        EntraDoorSignIn door = door(UNTRUSTING_APP);
        IdentityProvider.Started started = door.start();
        Map<String, String> callback = signInAt(started.authorize(), "alice@contoso.com");

        assertThatThrownBy(() -> door.finish(callback, started)).isInstanceOf(IdentityProvider.Refused.class)
                .hasMessageContaining("AADSTS700213");
    }

    @Test
    void anErrorTheTenantSendsBackIsSaid() {
        EntraDoorSignIn door = door(DOOR_APP);
        IdentityProvider.Started started = door.start();

        assertThatThrownBy(() -> door.finish(Map.of("error", "access_denied", "error_description",
                "AADSTS65004: User declined to consent.", "state", started.state()), started))
                .hasMessageContaining("refused the sign-in: AADSTS65004");
    }
}
