package org.dsvmpools.local.emulator;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.dsvmpools.azure.ArmClients;
import org.dsvmpools.azure.StorageClients;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.local.HostProcess;
import org.dsvmpools.local.TlsCertificate;

/**
 * Everything the production adapters talk to, on loopback: the emulator (ARM and Files, time scale 0.001) and
 * Azurite, with the production ARM clients pointed at the one and Storage clients at the other, and SDK
 * clients for tests to read back what happened.
 */
final class LocalCloud implements AutoCloseable {
    final AzureEmulator emulator;
    final AzuriteProcess azurite;
    final StorageClients storage;
    final ArmClients arm;
    final EmulatorClients verify;

    private LocalCloud(AzureEmulator emulator, AzuriteProcess azurite, SSLContext trust) {
        this.emulator = emulator;
        this.azurite = azurite;
        this.storage = new StorageClients(azurite.connectionString());
        this.verify = new EmulatorClients(emulator.armEndpoint(), trust);
        this.arm = new ArmClients(emulator.armEndpoint(), null, EmulatorClients.SUBSCRIPTION,
                new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(trust)).build());
    }

    static LocalCloud start() throws IOException, java.security.GeneralSecurityException {
        Path dataDir = Files.createTempDirectory("local-cloud");
        TlsCertificate tls = TlsCertificate.loadOrCreate(dataDir);
        AzureEmulator emulator = AzureEmulator.start(0, 0, 0.001, dataDir, tls.serverContext());
        return new LocalCloud(emulator, AzuriteProcess.startOnFreePorts(HostProcess.repositoryRoot()),
                tls.clientContext());
    }

    @Override
    public void close() {
        emulator.close();
        azurite.stop();
    }
}
