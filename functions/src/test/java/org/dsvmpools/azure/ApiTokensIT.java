package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.dsvmpools.functions.ClientPrincipals;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.pool.Caller;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's own check of Entra bearer tokens (Flex Consumption's App Service Authentication blocks nobody),
 * against the emulator's Entra ID: its discovery document, its published keys, the tokens it signs.
 */
class ApiTokensIT extends LocalCloudTest {
    private static final String AUDIENCE = "api://5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9";
    private static final String ALICE = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    private static ClientPrincipals principals;

    @BeforeAll
    static void directory() {
        local.emulator.setGroupMembers(UUID.randomUUID().toString(), List.of(new ObjectMapper().createObjectNode()
                .put("id", ALICE).put("mail", "alice@contoso.com").put("userPrincipalName", "alice@contoso.com")
                .put("displayName", "Alice")));
        principals = new ClientPrincipals(false, new EntraAccessTokens(local.emulator.entraAuthority(), AUDIENCE,
                EntraAccessTokens.Presenters.delegatedOrRoles("user_impersonation", Set.of(Caller.ADMIN_ROLE,
                        Caller.APPLICATION_ROLE)), HttpClient.newBuilder().sslContext(local.trust()).build(), SystemClock.utc()));
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("authorization", "Bearer " + token);
    }

    @Test
    void aTokenForThisApiSignedByTheTenantNamesTheCallerAndTheirRoles() {
        String token = local.emulator.entraAccessToken(AUDIENCE, "alice@contoso.com", Set.of("Pools.Admin"),
                Duration.ofHours(1));

        Caller caller = principals.caller(bearer(token));

        assertThat(caller.id()).isEqualTo(ALICE);
        assertThat(caller.name()).isEqualTo("Alice");
        assertThat(caller.isAdmin()).isTrue();
    }

    @Test
    void noTokenAnotherAudienceAnExpiredTokenOrAForgedSignatureIsRefusedWithTheReason() {
        assertThatThrownBy(() -> principals.caller(Map.of())).hasMessageContaining("Authorization: Bearer");
        assertThatThrownBy(() -> principals.caller(bearer(local.emulator.entraAccessToken("api://someone-else",
                "alice@contoso.com", Set.of(), Duration.ofHours(1))))).hasMessageContaining("another audience");
        assertThatThrownBy(() -> principals.caller(bearer(local.emulator.entraAccessToken(AUDIENCE,
                "alice@contoso.com", Set.of(), Duration.ofHours(-1))))).hasMessageContaining("expired");

        String[] parts = local.emulator.entraAccessToken(AUDIENCE, "alice@contoso.com", Set.of(),
                Duration.ofHours(1)).split("\\.");
        String admin = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"scp\"", "\"roles\":[\"Pools.Admin\"],\"scp\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(admin.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThatThrownBy(() -> principals.caller(bearer(forged))).isInstanceOf(
                ClientPrincipals.UntrustedPrincipalException.class).hasMessageContaining("signature");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(
                StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        assertThatThrownBy(() -> principals.caller(bearer(none))).hasMessageContaining("not signed RS256");
    }

    @Test
    void aManagedIdentitysTokenForTheApiIsRefusedSoNoVmOrHubCallsItNorBecomesAnOwner() throws Exception {
        String token = local.strangeIdentityToken(AUDIENCE);

        assertThatThrownBy(() -> principals.caller(bearer(token)))
                .isInstanceOf(ClientPrincipals.UntrustedPrincipalException.class)
                .hasMessageContaining("neither the API's scope");
    }
}
