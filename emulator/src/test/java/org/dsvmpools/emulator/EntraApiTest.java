package org.dsvmpools.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.dsvmpools.kit.TlsCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator's Entra ID and Graph applications, checked as a client meets them, refusals with Entra's codes. */
class EntraApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "6b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private static final String OTHER_APP = "7c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f";
    private static final String IDENTITY = "8d3e4f5a-6b7c-4d8e-af90-1b2c3d4e5f60";
    private static final String IDENTITY_ID = "/subscriptions/s/resourceGroups/g/providers"
            + "/Microsoft.ManagedIdentity/userAssignedIdentities/pool-hub";
    private static final String PRINCIPAL = "9e4f5a6b-7c8d-4e9f-b0a1-2c3d4e5f6071";
    private static final String STRANGER = "0f5a6b7c-8d9e-4fa0-81b2-3d4e5f607182";
    private static final String REDIRECT = "https://pool.westeurope.cloudapp.azure.com:8000/hub/oauth_callback";
    private static final String USER_ID = "1a6b7c8d-9eaf-4b01-92c3-4e5f60718293";
    private static final String VERIFIER = "a-verifier-of-forty-three-characters-or-more-0123456789";

    @TempDir
    static Path dir;
    private static AzureEmulator emulator;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        TlsCertificate tls = TlsCertificate.loadOrCreate(dir);
        emulator = AzureEmulator.start(0, 0, 0.001, dir, tls.serverContext());
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        ObjectNode app = JSON.createObjectNode();
        app.putObject("web").putArray("redirectUris").add(REDIRECT);
        app.putArray("federatedIdentityCredentials").addObject().put("issuer", emulator.entraAuthority())
                .put("subject", PRINCIPAL).putArray("audiences").add("api://AzureADTokenExchange");
        emulator.registerApplication(APP, app, true);
        emulator.registerApplication(OTHER_APP, JSON.createObjectNode(), false);
        emulator.registerManagedIdentity(IDENTITY_ID, IDENTITY, PRINCIPAL);
        emulator.registerManagedIdentity(IDENTITY_ID + "-stranger", STRANGER, UUID.randomUUID().toString());
        emulator.setGroupMembers(UUID.randomUUID().toString(), List.of(JSON.createObjectNode().put("id", USER_ID)
                .put("mail", "alice@contoso.com").put("userPrincipalName", "alice@contoso.onmicrosoft.com")));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void aCodeRedeemedWithItsVerifierAndATrustedAssertionGivesAnIdTokenSignedByThePublishedKey() throws Exception {
        JsonNode discovery = json(get(emulator.entraAuthority() + "/.well-known/openid-configuration"));
        String code = signIn("alice@CONTOSO.com", "n-1");
        HttpResponse<String> tokens = redeem(code, VERIFIER, assertion(IDENTITY));

        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        String idToken = json(tokens).path("id_token").asText();
        JsonNode keys = json(get(discovery.path("jwks_uri").asText()));
        assertThat(verifies(idToken, keys.path("keys").get(0))).isTrue();
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]));
        assertThat(claims.path("iss").asText()).isEqualTo(discovery.path("issuer").asText());
        assertThat(claims.path("aud").asText()).isEqualTo(APP);
        assertThat(claims.path("oid").asText()).isEqualTo(USER_ID);
        assertThat(claims.path("nonce").asText()).isEqualTo("n-1");
        assertThat(claims.path("email").asText()).isEqualTo("alice@contoso.com");
    }

    @Test
    void aWrongVerifierOrASecondRedemptionIsRefused() throws Exception {
        HttpResponse<String> wrong = redeem(signIn("alice@contoso.com", "n"), VERIFIER + "x", assertion(IDENTITY));
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(json(wrong).path("error_codes").get(0).asInt()).isEqualTo(501481);

        String code = signIn("alice@contoso.com", "n");
        assertThat(redeem(code, VERIFIER, assertion(IDENTITY)).statusCode()).isEqualTo(200);
        HttpResponse<String> again = redeem(code, VERIFIER, assertion(IDENTITY));
        assertThat(json(again).path("error_codes").get(0).asInt()).isEqualTo(54005);
    }

    @Test
    void aClientWithoutAnAssertionOrWithAnUntrustedIdentityIsRefused() throws Exception {
        HttpResponse<String> none = redeem(signIn("alice@contoso.com", "n"), VERIFIER, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).path("error_codes").get(0).asInt()).isEqualTo(7000218);

        HttpResponse<String> stranger = redeem(signIn("alice@contoso.com", "n"), VERIFIER, assertion(STRANGER));
        assertThat(stranger.statusCode()).isEqualTo(401);
        assertThat(json(stranger).path("error_codes").get(0).asInt()).isEqualTo(700213);
    }

    /**
     * Single sign-on as Entra does it: a browser that signed in carries the tenant's session cookie, and a later
     * authorization request is answered at once with a code, unless its login hint names another account (the
     * form, filled in with the hint) or it asks for {@code prompt=login}; {@code prompt=none} without a session
     * is {@code login_required} (AADSTS50058).
     */
    @Test
    void aBrowserSignedInAtTheTenantIsSignedInAgainWithoutTheForm() throws Exception {
        String url = authorizeUrl(REDIRECT, "n");
        HttpResponse<String> first = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("login=alice%40contoso.com")).build(),
                HttpResponse.BodyHandlers.ofString());
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("ESTSAUTH=").contains("Secure", "HttpOnly", "Path=/" + AzureEmulator.ENTRA_TENANT);
        String session = cookie.substring(0, cookie.indexOf(';'));

        HttpResponse<String> again = withCookie(url + "&login_hint=Alice%40Contoso.com", session);
        HttpResponse<String> otherHint = withCookie(url + "&login_hint=bob%40contoso.com", session);
        HttpResponse<String> prompted = withCookie(url + "&prompt=login", session);
        HttpResponse<String> choosing = withCookie(url + "&prompt=select_account", session);
        HttpResponse<String> silentWithout = get(url + "&prompt=none");
        HttpResponse<String> forged = withCookie(url, "ESTSAUTH=forged");

        assertThat(again.statusCode()).isEqualTo(302);
        String code = EntraApi.form(URI.create(again.headers().firstValue("Location").orElseThrow()).getRawQuery())
                .get("code");
        assertThat(redeem(code, VERIFIER, assertion(IDENTITY)).statusCode()).isEqualTo(200);
        assertThat(otherHint.statusCode()).isEqualTo(200);
        assertThat(otherHint.body()).contains("value=\"bob@contoso.com\"");
        assertThat(prompted.statusCode()).isEqualTo(200);
        assertThat(prompted.body()).contains("<form");
        assertThat(choosing.statusCode()).as("select_account interrupts single sign-on").isEqualTo(200);
        assertThat(silentWithout.statusCode()).isEqualTo(302);
        assertThat(silentWithout.headers().firstValue("Location").orElseThrow()).contains("error=login_required",
                "AADSTS50058");
        assertThat(forged.statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> withCookie(String url, String cookie) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnregisteredRedirectUriIsAnErrorPageNotARedirect() throws Exception {
        HttpResponse<String> page = get(authorizeUrl("https://evil.example/hub/oauth_callback", "n"));

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.body()).contains("AADSTS50011");
    }

    @Test
    void aChallengeOfTheWrongSizeIsRefusedAtAuthorizeWithARedirectThatSaysSo() throws Exception {
        HttpResponse<String> answer = get(authorizeUrl(REDIRECT, "n").replaceAll("code_challenge=[^&]+",
                "code_challenge=short"));

        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?")
                .contains("error=invalid_request", "AADSTS501491", "state=s-1");
    }

    @Test
    void theMetadataServiceWantsItsHeader() throws Exception {
        HttpResponse<String> bare = get(emulator.graphEndpoint() + "/metadata/identity/oauth2/token?api-version=2018-02-01"
                + "&resource=api://AzureADTokenExchange&client_id=" + IDENTITY);
        assertThat(bare.statusCode()).isEqualTo(400);
    }

    @Test
    void redirectUrisChangeOnlyOnOwnedApplicationsAndOnlyToHttps() throws Exception {
        String uris = "{\"web\":{\"redirectUris\":[\"" + REDIRECT + "\",\"https://b.westeurope.cloudapp.azure.com:8000"
                + "/hub/oauth_callback\"]}}";
        assertThat(patch(APP, uris).statusCode()).isEqualTo(204);
        assertThat(json(graph("GET", APP, null)).path("web").path("redirectUris")).hasSize(2);

        HttpResponse<String> plain = patch(APP, "{\"web\":{\"redirectUris\":[\"http://pool.example:8000/cb\"]}}");
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(json(plain).path("error").path("code").asText()).isEqualTo("Request_BadRequest");

        HttpResponse<String> notOwned = patch(OTHER_APP, uris);
        assertThat(notOwned.statusCode()).isEqualTo(403);
        assertThat(json(notOwned).path("error").path("code").asText()).isEqualTo("Authorization_RequestDenied");
        assertThat(emulator.application(OTHER_APP).path("web").path("redirectUris")).isEmpty();
    }

    // --- the client side ---

    private static String authorizeUrl(String redirect, String nonce) throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                .getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII)));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", APP);
        query.put("response_type", "code");
        query.put("redirect_uri", redirect);
        query.put("scope", "openid profile email");
        query.put("state", "s-1");
        query.put("nonce", nonce);
        query.put("code_challenge", challenge);
        query.put("code_challenge_method", "S256");
        return emulator.entraAuthority().replace("/v2.0", "") + "/oauth2/v2.0/authorize?" + form(query);
    }

    private static String signIn(String login, String nonce) throws Exception {
        String url = authorizeUrl(REDIRECT, nonce);
        HttpResponse<String> page = get(url);
        assertThat(page.statusCode()).isEqualTo(200);
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("login=" + URLEncoder.encode(login, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(302);
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?").contains("state=s-1");
        return EntraApi.form(URI.create(location).getRawQuery()).get("code");
    }

    private static String assertion(String identity) throws Exception {
        HttpResponse<String> token = client.send(HttpRequest.newBuilder(URI.create(emulator.graphEndpoint()
                + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://AzureADTokenExchange"
                + "&client_id=" + identity)).header("Metadata", "true").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        return json(token).path("access_token").asText();
    }

    private static HttpResponse<String> redeem(String code, String verifier, String assertion) throws Exception {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("client_id", APP);
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", REDIRECT);
        body.put("code_verifier", verifier);
        if (assertion != null) {
            body.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
            body.put("client_assertion", assertion);
        }
        return client.send(HttpRequest.newBuilder(URI.create(emulator.entraAuthority().replace("/v2.0", "")
                        + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> patch(String appId, String body) throws Exception {
        return graph("PATCH", appId, body);
    }

    private static HttpResponse<String> graph(String method, String appId, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(emulator.graphEndpoint() + "/v1.0/applications(appId='"
                        + appId + "')")).header("Authorization", "Bearer "
                        + emulator.controlPlaneToken("https://graph.microsoft.com"))
                .header("Content-Type", "application/json").method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean verifies(String token, JsonNode key) throws Exception {
        String[] parts = token.split("\\.");
        var publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, Base64.getUrlDecoder().decode(key.path("n").asText())),
                new BigInteger(1, Base64.getUrlDecoder().decode(key.path("e").asText()))));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /**
     * #27 finding 11: Graph checks the bearer the emulator's Entra issued (signature, audience, expiry: 401
     * InvalidAuthenticationToken otherwise) and takes the roles from it, not from a global setting.
     */
    @Test
    void graphTakesOnlyTokensEntraIssuedForItAndTheRolesTheyCarry() throws Exception {
        String app = "/v1.0/applications(appId='" + APP + "')";
        assertThat(graphWith("Bearer x", app).statusCode()).isEqualTo(401);
        assertThat(graphWith("Bearer x", app).body()).contains("InvalidAuthenticationToken");
        String forArm = emulator.controlPlaneToken("https://management.azure.com/");
        assertThat(graphWith("Bearer " + forArm, app).body()).contains("InvalidAuthenticationToken", "audience");
        String valid = emulator.controlPlaneToken("https://graph.microsoft.com");
        String[] parts = valid.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThat(graphWith("Bearer " + tampered, app).statusCode()).isEqualTo(401);

        emulator.setGraphRoles(java.util.Set.of());
        try {
            String roleless = emulator.controlPlaneToken("https://graph.microsoft.com");
            assertThat(graphWith("Bearer " + roleless, "/v1.0/users?$filter=id%20in%20('" + USER_ID + "')")
                    .statusCode()).as("a token issued without roles").isEqualTo(403);
            assertThat(graphWith("Bearer " + valid, "/v1.0/users?$filter=id%20in%20('" + USER_ID + "')")
                    .statusCode()).as("an earlier token keeps the roles it was issued with").isEqualTo(200);
        } finally {
            emulator.setGraphRoles(GraphApi.DEFAULT_ROLES);
        }
    }

    private static HttpResponse<String> graphWith(String authorization, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(emulator.graphEndpoint() + path))
                .header("Authorization", authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
