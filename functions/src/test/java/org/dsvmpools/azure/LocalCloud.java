package org.dsvmpools.azure;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.dsvmpools.azure.ArmClients;
import org.dsvmpools.azure.StorageClients;
import org.dsvmpools.emulator.AzureEmulator;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.kit.TlsCertificate;
import org.dsvmpools.testing.Azurite;

/**
 * Everything the production adapters talk to, on loopback: the emulator (ARM and Files, time scale 0.001) and
 * Azurite, with the production ARM clients pointed at the one and Storage clients at the other, and SDK
 * clients for tests to read back what happened.
 */
public final class LocalCloud implements AutoCloseable {
    public final AzureEmulator emulator;
    public final AzuriteProcess azurite;
    public final StorageClients storage;
    public final ArmClients arm;
    final EmulatorClients verify;
    private final SSLContext trust;
    private final Path dataDir;

    private LocalCloud(AzureEmulator emulator, AzuriteProcess azurite, SSLContext trust, Path dataDir) {
        this.trust = trust;
        this.dataDir = dataDir;
        this.emulator = emulator;
        this.azurite = azurite;
        this.storage = new StorageClients(azurite.connectionString());
        this.verify = new EmulatorClients(emulator.armEndpoint(), trust);
        this.arm = new ArmClients(emulator.armEndpoint(), null, EmulatorClients.SUBSCRIPTION,
                new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(trust)).build());
    }

    public static LocalCloud start() throws IOException, java.security.GeneralSecurityException {
        Path dataDir = Files.createTempDirectory("local-cloud");
        TlsCertificate tls = TlsCertificate.loadOrCreate(dataDir);
        AzureEmulator emulator = AzureEmulator.start(0, 0, 0.001, dataDir, tls.serverContext());
        try {
            return new LocalCloud(emulator, AzuriteProcess.startOnFreePorts(Azurite.repositoryRoot()),
                    tls.clientContext(), dataDir);
        } catch (RuntimeException | IOException e) {
            // The emulator's threads would keep the JVM alive after the failure.
            emulator.close();
            throw e;
        }
    }

    /** Where the emulator's certificate is, for a process of a test's own that must trust it too. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * A new user-assigned identity's token for {@code resource}, from the emulator's metadata endpoint as a VM
     * carrying it would ask: an identity that is no pool's and no user's.
     */
    public String strangeIdentityToken(String resource) throws IOException, InterruptedException {
        String clientId = java.util.UUID.randomUUID().toString();
        emulator.registerManagedIdentity("/subscriptions/" + EmulatorClients.SUBSCRIPTION + "/resourceGroups/cp"
                + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-" + clientId.substring(0, 8), clientId,
                java.util.UUID.randomUUID().toString());
        var answer = java.net.http.HttpClient.newBuilder().sslContext(trust).build().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(emulator.graphEndpoint() + "/metadata/identity/oauth2/token"
                        + "?api-version=2018-02-01&resource=" + java.net.URLEncoder.encode(resource,
                        java.nio.charset.StandardCharsets.UTF_8) + "&client_id=" + clientId))
                .header("Metadata", "true").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the metadata endpoint answered " + answer.statusCode() + ": "
                    + answer.body());
        }
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("access_token").asText();
    }

    /** TLS that trusts the emulator's certificate, for a test's own HTTP client. */
    public SSLContext trust() {
        return trust;
    }

    /** A pool's file share through the Files SDK with the account key, as a test or a baseline reads it. */
    public com.azure.storage.file.share.ShareClient share(org.dsvmpools.pool.PoolName pool) {
        org.dsvmpools.pool.AzureNames names = org.dsvmpools.pool.AzureNames.of(pool);
        var accounts = verify.storage().serviceClient().getStorageAccounts();
        String key = accounts.listKeys(names.resourceGroup(), names.storageAccount()).keys().get(0).value();
        String endpoint = accounts.getByResourceGroup(names.resourceGroup(), names.storageAccount())
                .primaryEndpoints().file();
        return EmulatorClients.files(endpoint, names.storageAccount(), key).getShareClient(names.fileShare());
    }

    @Override
    public void close() {
        emulator.close();
        azurite.stop();
    }
}
