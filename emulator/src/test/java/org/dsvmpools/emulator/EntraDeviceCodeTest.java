package org.dsvmpools.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.dsvmpools.kit.TlsCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator's device authorization grant as a command-line client meets it: the device code, the user's
 * sign-in at the verification page, the polls, the tokens for the app's own API with its roles, the refresh;
 * and Entra's refusals, with its codes.
 */
class EntraDeviceCodeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An app that is its own API (identifier URI, one scope) and a public client: the front door's shape. */
    private static final String APP = "3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d";
    private static final String CONFIDENTIAL = "4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e";
    private static final String USER_ID = "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f";
    private static final String ROLE_ID = "6d7e8f9a-0b1c-4d2e-9f3a-4b5c6d7e8f9a";
    private static final String SCOPE = "api://" + APP + "/Pools.Connect offline_access openid";

    @TempDir
    static Path dir;
    private static AzureEmulator emulator;
    private static HttpClient client;
    private static final AtomicReference<Instant> NOW = new AtomicReference<>(Instant.parse("2026-03-02T09:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        TlsCertificate tls = TlsCertificate.loadOrCreate(dir);
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return NOW.get();
            }
        };
        emulator = AzureEmulator.start(0, 0, 0.001, dir, tls.serverContext(), clock);
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
        ObjectNode app = JSON.createObjectNode().put("displayName", "dsvm-pools front door")
                .put("isFallbackPublicClient", true);
        app.putArray("identifierUris").add("api://" + APP);
        app.putObject("api").putArray("oauth2PermissionScopes").addObject().put("value", "Pools.Connect")
                .put("id", UUID.randomUUID().toString()).put("type", "User");
        app.putArray("appRoles").addObject().put("id", ROLE_ID).put("value", "Pools.Admin");
        app.putArray("appRoleAssignedTo").addObject().put("principalId", USER_ID).put("appRoleId", ROLE_ID);
        emulator.registerApplication(APP, app, false);
        ObjectNode confidential = JSON.createObjectNode();
        confidential.putArray("identifierUris").add("api://" + CONFIDENTIAL);
        emulator.registerApplication(CONFIDENTIAL, confidential, false);
        emulator.setGroupMembers(UUID.randomUUID().toString(), List.of(JSON.createObjectNode().put("id", USER_ID)
                .put("mail", "alice@contoso.com").put("userPrincipalName", "alice@contoso.com")
                .put("displayName", "Alice Example")));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void aUserWhoSignsInAtThePageGivesThePollingDeviceATokenForTheAppsApiWithTheirRolesOnce() throws Exception {
        JsonNode code = json(devicecode(APP, SCOPE));
        assertThat(code.path("user_code").asText()).matches("[A-Z2-9]{9}");
        assertThat(code.path("expires_in").asInt()).isEqualTo(900);
        assertThat(code.path("interval").asInt()).isEqualTo(5);
        assertThat(code.path("message").asText()).contains(code.path("user_code").asText())
                .contains(code.path("verification_uri").asText());

        HttpResponse<String> early = poll(APP, code.path("device_code").asText());
        assertThat(early.statusCode()).isEqualTo(400);
        assertThat(json(early).path("error").asText()).isEqualTo("authorization_pending");
        assertThat(json(early).path("error_codes").get(0).asInt()).isEqualTo(70016);

        String cookie = signInAtThePage(code, "ALICE@contoso.com");

        HttpResponse<String> tokens = poll(APP, code.path("device_code").asText());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode access = claims(json(tokens).path("access_token").asText());
        assertThat(access.path("aud").asText()).isEqualTo(APP);
        assertThat(access.path("scp").asText()).isEqualTo("Pools.Connect");
        assertThat(access.path("oid").asText()).isEqualTo(USER_ID);
        assertThat(access.path("preferred_username").asText()).isEqualTo("alice@contoso.com");
        assertThat(access.path("roles").get(0).asText()).isEqualTo("Pools.Admin");
        assertThat(access.path("azp").asText()).isEqualTo(APP);
        assertThat(json(tokens).path("refresh_token").asText()).isNotBlank();
        assertThat(json(tokens).has("id_token")).isTrue();

        HttpResponse<String> again = poll(APP, code.path("device_code").asText());
        assertThat(json(again).path("error_codes").get(0).asInt()).as("a device code is redeemed once")
                .isEqualTo(54005);

        // The refresh token gives a new access token without the page; a browser signed in at the tenant
        // confirms a second device without typing the account again.
        HttpResponse<String> refreshed = token(Map.of("client_id", APP, "grant_type", "refresh_token",
                "refresh_token", json(tokens).path("refresh_token").asText()));
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(claims(json(refreshed).path("access_token").asText()).path("oid").asText()).isEqualTo(USER_ID);
        JsonNode second = json(devicecode(APP, SCOPE));
        HttpResponse<String> confirm = page(Map.of("otc", second.path("user_code").asText()), cookie);
        assertThat(confirm.body()).contains("name=\"confirm\"").doesNotContain("name=\"login\"");
        page(Map.of("otc", second.path("user_code").asText(), "confirm", "1"), cookie);
        assertThat(poll(APP, second.path("device_code").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void entraRefusesWhatItRefusesWithItsCodes() throws Exception {
        assertThat(error(devicecode(APP, "api://" + APP + "/Pools.Delete"))).isEqualTo("invalid_scope 70011");
        assertThat(error(devicecode(APP, "api://nobody-here/Pools.Connect"))).isEqualTo("invalid_resource 500011");
        assertThat(error(devicecode(APP, "api://" + APP + "/Pools.Connect api://" + CONFIDENTIAL + "/.default")))
                .isEqualTo("invalid_scope 28000");
        assertThat(error(devicecode(APP, ""))).isEqualTo("invalid_request 900144");
        assertThat(error(devicecode(UUID.randomUUID().toString(), SCOPE))).isEqualTo("unauthorized_client 700016");
        assertThat(error(poll(APP, "not-a-device-code"))).isEqualTo("bad_verification_code 70018");

        // "Allow public client flows" off: the poll needs a credential the device cannot have.
        JsonNode code = json(devicecode(CONFIDENTIAL, "api://" + CONFIDENTIAL + "/.default"));
        HttpResponse<String> confidential = poll(CONFIDENTIAL, code.path("device_code").asText());
        assertThat(confidential.statusCode()).isEqualTo(401);
        assertThat(error(confidential)).isEqualTo("invalid_client 7000218");

        HttpResponse<String> wrongCode = page(Map.of("otc", "AAAAAAAAA"), null);
        assertThat(wrongCode.statusCode()).isEqualTo(400);
        assertThat(wrongCode.body()).contains("AADSTS70018");
        assertThat(error(token(Map.of("client_id", APP, "grant_type", "refresh_token", "refresh_token", "forged"))))
                .isEqualTo("invalid_grant 9002313");
    }

    @Test
    void aDeviceCodeEndsAfterFifteenMinutesAndARefreshTokenAfterNinetyDaysUnused() throws Exception {
        JsonNode code = json(devicecode(APP, SCOPE));
        signInAtThePage(code, "alice@contoso.com");
        JsonNode tokens = json(poll(APP, code.path("device_code").asText()));
        JsonNode late = json(devicecode(APP, SCOPE));
        NOW.set(NOW.get().plus(Duration.ofMinutes(15)));
        try {
            assertThat(error(poll(APP, late.path("device_code").asText()))).isEqualTo("expired_token 70019");
            assertThat(page(Map.of("otc", late.path("user_code").asText()), null).statusCode()).isEqualTo(400);
            NOW.set(NOW.get().plus(Duration.ofDays(91)));
            assertThat(error(token(Map.of("client_id", APP, "grant_type", "refresh_token", "refresh_token",
                    tokens.path("refresh_token").asText())))).isEqualTo("invalid_grant 700082");
        } finally {
            NOW.set(Instant.parse("2026-03-02T09:00:00Z"));
        }
    }

    /** The verification page as a browser walks it: the code, then the account; its tenant session cookie. */
    private static String signInAtThePage(JsonNode code, String login) throws Exception {
        HttpResponse<String> start = client.send(HttpRequest.newBuilder(URI.create(code.path("verification_uri")
                .asText())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).isEqualTo(302);
        assertThat(page(Map.of("otc", code.path("user_code").asText().toLowerCase()), null).body())
                .contains("name=\"login\"");
        HttpResponse<String> done = page(Map.of("otc", code.path("user_code").asText(), "login", login), null);
        assertThat(done.body()).as(done.body()).contains("You have signed in to dsvm-pools front door");
        return done.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private static HttpResponse<String> page(Map<String, String> fields, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.graphEndpoint() + "/"
                        + EntraApi.TENANT + "/oauth2/deviceauth")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> devicecode(String clientId, String scope) throws Exception {
        return post("/oauth2/v2.0/devicecode", Map.of("client_id", clientId, "scope", scope));
    }

    private static HttpResponse<String> poll(String clientId, String deviceCode) throws Exception {
        return token(Map.of("client_id", clientId, "grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", deviceCode));
    }

    private static HttpResponse<String> token(Map<String, String> body) throws Exception {
        return post("/oauth2/v2.0/token", body);
    }

    private static HttpResponse<String> post(String path, Map<String, String> body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(emulator.entraAuthority().replace("/v2.0", "") + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> response) throws Exception {
        JsonNode body = json(response);
        return body.path("error").asText() + " " + body.path("error_codes").path(0).asInt();
    }

    private static JsonNode claims(String token) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String form(Map<String, String> values) {
        Map<String, String> ordered = new LinkedHashMap<>(values);
        return ordered.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
