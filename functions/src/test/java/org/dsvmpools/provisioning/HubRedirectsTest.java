package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.pool.StoredPool;
import org.dsvmpools.testing.InMemoryPoolRepository;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;

class HubRedirectsTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Caller ALICE = new Caller("alice-id", "Alice", Set.of());
    private static final String OPERATORS_OWN = "https://localhost:8443/callback";

    private final InMemoryPoolRepository repository = new InMemoryPoolRepository();
    private final List<String> registered = new ArrayList<>(List.of(OPERATORS_OWN));
    private int writes;
    private final SignInRedirects app = new SignInRedirects() {
        @Override
        public List<String> current() {
            return List.copyOf(registered);
        }

        @Override
        public void replace(List<String> redirectUris) {
            writes++;
            registered.clear();
            registered.addAll(redirectUris);
        }
    };
    private final HubRedirects redirects = new HubRedirects(repository, app);

    @Test
    void everyPoolThatExistsHasItsCallbackAndTheOperatorsOwnStay() {
        repository.create(Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0));
        repository.create(Pool.accept(PoolDocumentsFixture.spec("vision"), ALICE, T0));

        String said = redirects.sync();

        assertThat(registered).containsExactlyInAnyOrder(OPERATORS_OWN, callback("ml-team"), callback("vision"));
        assertThat(callback("ml-team")).matches("https://[a-z0-9-]+\\.westeurope\\.cloudapp\\.azure\\.com:8000"
                + "/hub/oauth_callback");
        assertThat(said).contains("added", callback("vision"));
        assertThat(redirects.sync()).isEqualTo("sign-in redirect URIs unchanged");
        assertThat(writes).as("an unchanged list is not written again").isEqualTo(1);
    }

    @Test
    void aDeletedPoolsCallbackGoesAndAStaleOneWrittenByARacingSyncIsMended() {
        repository.create(Pool.accept(PoolDocumentsFixture.spec("ml-team"), ALICE, T0));
        redirects.sync();
        StoredPool stored = repository.find(PoolDocumentsFixture.spec("ml-team").poolName()).orElseThrow();
        repository.replace(stored, stored.pool().requestTeardown(false, ALICE, T0)
                .moveTo(PoolStatus.Deleted, "torn down", T0));
        registered.add("https://gone-pool-1a2b3c4d.westeurope.cloudapp.azure.com:8000/hub/oauth_callback");

        String said = redirects.sync();

        assertThat(registered).containsExactly(OPERATORS_OWN);
        assertThat(said).contains("removed", callback("ml-team"));
    }

    private static String callback(String pool) {
        return HubSignIn.callbackUrl(AzureNames.of(PoolDocumentsFixture.spec(pool).poolName()).dnsName("westeurope"));
    }
}
