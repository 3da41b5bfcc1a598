package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The app's own storage in both forms the Functions host reads: a connection string (Azurite, or an account that
 * allows keys) and the identity-based settings (no key; the account may have shared-key access off).
 */
class StorageSettingsTest {
    @Test
    void aConnectionStringGivesClientsOnItsAccount() {
        var storage = new Settings(Map.of(Settings.STORAGE_CONNECTION, "UseDevelopmentStorage=true")).storage();

        assertThat(storage.table("pools").getTableEndpoint()).isEqualTo("http://127.0.0.1:10002/pools");
        assertThat(storage.queue("pool-requests").getQueueUrl()).startsWith("http://127.0.0.1:10001/devstoreaccount1");
    }

    @Test
    void theIdentityBasedFormGivesClientsOnTheAccountsServicesWithTheManagedIdentity() {
        var storage = new Settings(Map.of("AzureWebJobsStorage__accountName", "dpcontrol",
                "AzureWebJobsStorage__credential", "managedidentity",
                "AzureWebJobsStorage__clientId", "00000000-0000-0000-0000-0000000000c1")).storage();

        assertThat(storage.table("pools").getTableEndpoint()).isEqualTo("https://dpcontrol.table.core.windows.net/pools");
        assertThat(storage.queue("pool-requests").getQueueUrl())
                .isEqualTo("https://dpcontrol.queue.core.windows.net/pool-requests");
        var explicit = new Settings(Map.of("AzureWebJobsStorage__tableServiceUri", "https://t.example",
                "AzureWebJobsStorage__queueServiceUri", "https://q.example")).storage();
        assertThat(explicit.table("pools").getTableEndpoint()).isEqualTo("https://t.example/pools");
    }

    @Test
    void neitherFormOrAnotherCredentialIsRefusedWithWhatToSet() {
        assertThatThrownBy(() -> new Settings(Map.of()).storage()).hasMessageContaining("AzureWebJobsStorage__accountName")
                .hasMessageContaining("connection string");
        assertThatThrownBy(() -> new Settings(Map.of("AzureWebJobsStorage__accountName", "dpcontrol",
                "AzureWebJobsStorage__credential", "connectionstring")).storage())
                .hasMessageContaining("managedidentity");
    }
}
