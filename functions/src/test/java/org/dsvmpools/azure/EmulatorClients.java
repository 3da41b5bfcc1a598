package org.dsvmpools.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import com.azure.resourcemanager.storage.StorageManager;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.file.share.ShareServiceClient;
import com.azure.storage.file.share.ShareServiceClientBuilder;
import java.net.MalformedURLException;
import java.net.URL;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.dsvmpools.azure.FilesEndpointRestore;
import reactor.core.publisher.Mono;

/**
 * The real Azure SDK clients pointed at the emulator: only endpoints and credentials differ from Azure. The
 * managers' long-running-operation polls are shortened, as the SDK's own tests do.
 */
final class EmulatorClients {
    static final String SUBSCRIPTION = "00000000-0000-0000-0000-00000000e1e1";
    private static final TokenCredential CREDENTIAL =
            request -> Mono.just(new AccessToken("emulator-token", OffsetDateTime.now().plusHours(1)));

    private final AzureProfile profile;
    private final HttpClient httpClient;

    EmulatorClients(String armEndpoint, SSLContext trust) {
        ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(delay -> Duration.ofMillis(20));
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", armEndpoint);
        endpoints.put("managementEndpointUrl", armEndpoint);
        this.profile = new AzureProfile("tenant", SUBSCRIPTION, new AzureEnvironment(endpoints));
        this.httpClient = new JdkHttpClientBuilder(java.net.http.HttpClient.newBuilder().sslContext(trust)).build();
    }

    ResourceManager resources() {
        return ResourceManager.configure().withHttpClient(httpClient).authenticate(CREDENTIAL, profile)
                .withDefaultSubscription();
    }

    StorageManager storage() {
        return StorageManager.configure().withHttpClient(httpClient).authenticate(CREDENTIAL, profile);
    }

    NetworkManager network() {
        return NetworkManager.configure().withHttpClient(httpClient).authenticate(CREDENTIAL, profile);
    }

    AuthorizationManager authorization() {
        return AuthorizationManager.configure().withHttpClient(httpClient).authenticate(CREDENTIAL, profile);
    }

    ComputeManager compute() {
        return ComputeManager.configure().withHttpClient(httpClient).authenticate(CREDENTIAL, profile);
    }

    /**
     * A Files client for an account's file endpoint. ShareServiceClientBuilder 12.29.1 cuts a custom endpoint
     * down to scheme and host; the policy puts port and account path back on every try.
     */
    static ShareServiceClient files(String fileEndpoint, String account, String key) {
        URL endpoint = url(fileEndpoint);
        return new ShareServiceClientBuilder()
                .endpoint(fileEndpoint)
                .credential(new StorageSharedKeyCredential(account, key))
                .httpClient(new JdkHttpClientBuilder().build())
                .addPolicy(new FilesEndpointRestore(endpoint.getPort(), account))
                .buildClient();
    }

    private static URL url(String text) {
        try {
            return new URL(text);
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
