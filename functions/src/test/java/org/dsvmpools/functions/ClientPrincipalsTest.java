package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.dsvmpools.pool.Caller;
import org.junit.jupiter.api.Test;

class ClientPrincipalsTest {
    private static final String OID = "11111111-2222-3333-4444-555555555555";
    private final ClientPrincipals withEasyAuth = new ClientPrincipals(true);

    static String principal(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String entraPrincipal(String oid, String... roles) {
        StringBuilder claims = new StringBuilder("{\"typ\":\"http://schemas.microsoft.com/identity/claims/objectidentifier\","
                + "\"val\":\"" + oid + "\"},{\"typ\":\"name\",\"val\":\"Alice Example\"}");
        for (String role : roles) {
            claims.append(",{\"typ\":\"roles\",\"val\":\"").append(role).append("\"}");
        }
        return principal("{\"auth_typ\":\"aad\",\"name_typ\":\"name\",\"role_typ\":\"roles\",\"claims\":["
                + claims + "]}");
    }

    @Test
    void withoutAPrincipalTheCallerIsTheFunctionKeyHolder() {
        assertThat(withEasyAuth.caller(Map.of())).isEqualTo(Caller.FUNCTION_KEY);
    }

    @Test
    void anEntraPrincipalNamesTheCallerAndItsRoles() {
        Caller caller = withEasyAuth.caller(Map.of(
                "x-ms-client-principal", entraPrincipal(OID, "Pools.Admin"),
                "x-ms-client-principal-id", OID));

        assertThat(caller.id()).isEqualTo(OID);
        assertThat(caller.name()).isEqualTo("Alice Example");
        assertThat(caller.isAdmin()).isTrue();
    }

    @Test
    void aPrincipalHeaderIsRefusedWhenPlatformAuthenticationIsOff() {
        ClientPrincipals withoutEasyAuth = new ClientPrincipals(false);

        assertThatThrownBy(() -> withoutEasyAuth.caller(Map.of(
                "x-ms-client-principal", entraPrincipal(OID), "x-ms-client-principal-id", OID)))
                .isInstanceOf(ClientPrincipals.UntrustedPrincipalException.class);
    }

    @Test
    void unparsableOrInconsistentPrincipalsAreRefused() {
        assertThatThrownBy(() -> withEasyAuth.caller(Map.of("x-ms-client-principal", "%%%not-base64")))
                .isInstanceOf(ClientPrincipals.UntrustedPrincipalException.class);
        assertThatThrownBy(() -> withEasyAuth.caller(Map.of("x-ms-client-principal", principal("not json"))))
                .isInstanceOf(ClientPrincipals.UntrustedPrincipalException.class);
        assertThatThrownBy(() -> withEasyAuth.caller(Map.of("x-ms-client-principal", principal("{\"claims\":[]}"),
                "x-ms-client-principal-id", OID)))
                .isInstanceOf(ClientPrincipals.UntrustedPrincipalException.class);
        assertThatThrownBy(() -> withEasyAuth.caller(Map.of("x-ms-client-principal", entraPrincipal(OID),
                "x-ms-client-principal-id", "someone-else")))
                .isInstanceOf(ClientPrincipals.UntrustedPrincipalException.class);
    }
}
