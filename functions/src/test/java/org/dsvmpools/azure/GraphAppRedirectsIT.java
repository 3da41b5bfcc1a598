package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.dsvmpools.onboarding.GroupMembers;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.provisioning.HubRedirects;
import org.dsvmpools.provisioning.HubSignIn;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pools' sign-in addresses on the hub app registration, through the production Graph adapter against the
 * emulator's Graph: the least permission (Application.ReadWrite.OwnedBy) on an app the control plane owns, the
 * operator's own settings kept, throttling waited out, and a clear refusal where the permission is missing.
 */
class GraphAppRedirectsIT extends LocalCloudTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Caller ALICE = new Caller("alice-id", "Alice", Set.of());

    @AfterEach
    void graphAsDocumented() throws Exception {
        local.emulator.setGraphRoles(Set.of("Group.Read.All", "User.Read.All", GraphAppRedirects.PERMISSION));
        local.emulator.configureFaults("{}");
    }

    private String application(boolean owned) {
        String appId = UUID.randomUUID().toString();
        ObjectNode app = JSON.createObjectNode();
        app.putObject("web").put("homePageUrl", "https://intranet.contoso.com/pools").putArray("redirectUris")
                .add("https://localhost:8443/callback");
        local.emulator.registerApplication(appId, app, owned);
        return appId;
    }

    private static Pool pool(String name) throws Exception {
        return Pool.accept(PoolSpecJson.read(JSON.readTree(org.dsvmpools.kit.SamplePools.document(name))).spec(),
                ALICE, Instant.parse("2026-11-30T10:00:00Z"));
    }

    @Test
    void eachPoolsCallbackIsListedWithTheLeastPermissionAndTheOperatorsSettingsStay() throws Exception {
        local.emulator.setGraphRoles(Set.of("Group.Read.All", "User.Read.All", GraphAppRedirects.PERMISSION));
        local.emulator.configureFaults("{\"rules\":[{\"match\":\"applications\",\"kind\":\"throttle\",\"count\":2,"
                + "\"retryAfterSeconds\":0}]}");
        String appId = application(true);
        InMemoryPoolRepository repository = new InMemoryPoolRepository();
        Pool pool = pool("hub-redirect");
        repository.create(pool);

        String said = new HubRedirects(repository, new GraphAppRedirects(local.emulator.graphEndpoint(), appId,
                () -> local.arm)).sync();

        String callback = HubSignIn.callbackUrl(AzureNames.of(pool.name()).dnsName(pool.spec().location()));
        var registered = local.emulator.application(appId).path("web");
        assertThat(registered.path("redirectUris")).extracting(node -> node.asText())
                .containsExactlyInAnyOrder("https://localhost:8443/callback", callback);
        assertThat(said).contains("added [" + callback + "]");
    }

    @Test
    void anAppRegistrationTheControlPlaneDoesNotOwnIsRefusedNamingThePermissionAndOwnership() {
        String appId = application(false);
        InMemoryPoolRepository repository = new InMemoryPoolRepository();

        assertThatThrownBy(() -> {
            repository.create(pool("hub-not-owned"));
            new HubRedirects(repository, new GraphAppRedirects(local.emulator.graphEndpoint(), appId,
                    () -> local.arm)).sync();
        }).isInstanceOf(GroupMembers.GraphException.class).hasMessageContaining("403")
                .hasMessageContaining(GraphAppRedirects.PERMISSION).hasMessageContaining("own the app registration");
    }
}
