package org.dsvmpools.azure;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.authorization.AuthorizationManager;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.storage.StorageManager;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import com.azure.core.http.policy.ExponentialBackoff;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryPolicy;
import java.util.HashMap;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * The five resource-manager clients, built together. Building them loads thousands of classes (seconds of CPU),
 * so the app builds one {@code ArmClients} lazily, on the worker's first message, and never on an HTTP path.
 *
 * <p>Against Azure the credential is {@code DefaultAzureCredential} (the Function App's managed identity). An
 * endpoint on loopback is the local emulator: the app then asks the emulator's metadata endpoint for its identity's
 * tokens, as a system-assigned identity asks Azure's, instead of looking for an Azure login that a developer's
 * machine does not have. Graph checks those tokens and reads the app's roles from them (#27).
 */
public final class ArmClients {
    private final ResourceManager resources;
    private final StorageManager storage;
    private final NetworkManager network;
    private final ComputeManager compute;
    private final AuthorizationManager authorization;
    private final String subscriptionId;
    private final TokenCredential credential;
    private final HttpClient http;

    public ArmClients(String endpoint, String tenantId, String subscriptionId, HttpClient httpClient) {
        this(endpoint, tenantId, subscriptionId, httpClient, null);
    }

    /**
     * The scaler's retries: a tick serves every pool each minute, so it never sleeps through Azure's throttling.
     * A 429 is not retried at all (the scaler leaves the pool until its Retry-After), nor is an answer whose
     * Retry-After is longer than {@link #TICK_MAX_RETRY_WAIT}; other transient errors get two quick retries, at most
     * 4 s apart. The SDK's default is three retries honouring any Retry-After: 180 s for one list at 60 s.
     */
    public static final Duration TICK_MAX_RETRY_WAIT = Duration.ofSeconds(4);

    public static RetryPolicy tickRetries() {
        return new RetryPolicy(new ExponentialBackoff(2, Duration.ofMillis(500), TICK_MAX_RETRY_WAIT) {
            @Override
            public boolean shouldRetryCondition(RequestRetryCondition condition) {
                com.azure.core.http.HttpResponse response = condition.getResponse();
                if (response != null) {
                    Duration wait = ArmCalls.retryAfter(response.getHeaders());
                    if (response.getStatusCode() == 429 || wait != null && wait.compareTo(TICK_MAX_RETRY_WAIT) > 0) {
                        return false;
                    }
                }
                return super.shouldRetryCondition(condition);
            }
        });
    }

    /** @param retries the pipeline's retry policy; null: the SDK's default */
    public ArmClients(String endpoint, String tenantId, String subscriptionId, HttpClient httpClient,
                      RetryPolicy retries) {
        AzureProfile profile = profile(endpoint, tenantId, subscriptionId);
        HttpClient http = httpClient != null ? httpClient : new JdkHttpClientBuilder().build();
        TokenCredential credential = isLoopback(endpoint) ? emulatorCredential(endpoint, http)
                : new DefaultAzureCredentialBuilder().build();
        RetryPolicy retry = retries != null ? retries : new RetryPolicy();
        this.subscriptionId = subscriptionId;
        this.credential = credential;
        this.http = http;
        this.resources = ResourceManager.configure().withHttpClient(http).withRetryPolicy(retry).authenticate(credential, profile)
                .withSubscription(subscriptionId);
        this.storage = StorageManager.configure().withHttpClient(http).withRetryPolicy(retry).authenticate(credential, profile);
        this.network = NetworkManager.configure().withHttpClient(http).withRetryPolicy(retry).authenticate(credential, profile);
        this.compute = ComputeManager.configure().withHttpClient(http).withRetryPolicy(retry).authenticate(credential, profile);
        this.authorization = AuthorizationManager.configure().withHttpClient(http).withRetryPolicy(retry).authenticate(credential, profile);
    }

    private static AzureProfile profile(String endpoint, String tenantId, String subscriptionId) {
        if (endpoint.equals(AzureEnvironment.AZURE.getResourceManagerEndpoint())) {
            return new AzureProfile(tenantId, subscriptionId, AzureEnvironment.AZURE);
        }
        Map<String, String> endpoints = new HashMap<>(AzureEnvironment.AZURE.getEndpoints());
        endpoints.put("resourceManagerEndpointUrl", endpoint);
        endpoints.put("managementEndpointUrl", endpoint);
        return new AzureProfile(tenantId, subscriptionId, new AzureEnvironment(endpoints));
    }

    public static boolean isLoopback(String endpoint) {
        String host = URI.create(endpoint).getHost();
        return "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
    }

    /**
     * The SDK caches a token until the expiry it is told, by its own clock; the emulator's clock may be a test's,
     * days from the machine's. So the SDK is told a far expiry, and the token is the emulator's own: ARM and Files
     * take it as it is; Graph checks it, and the app asks for a fresh one for each Graph call (GraphRequests).
     */
    private static final OffsetDateTime EMULATOR_TOKEN_EXPIRY = OffsetDateTime.parse("9999-01-01T00:00:00Z");

    /**
     * The emulator's metadata endpoint, asked as Azure's IMDS is (no {@code client_id}: the machine's own
     * identity). Hand-written: azure-identity's managed identity credential cannot be pointed at another endpoint
     * in code, and this is the local emulator's path only.
     */
    private static TokenCredential emulatorCredential(String endpoint, HttpClient http) {
        String base = endpoint.replaceAll("/+$", "");
        return request -> Mono.fromCallable(() -> {
            String resource = request.getScopes().get(0).replaceFirst("/\\.default$", "");
            var ask = new com.azure.core.http.HttpRequest(com.azure.core.http.HttpMethod.GET, base
                    + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
                    + java.net.URLEncoder.encode(resource, java.nio.charset.StandardCharsets.UTF_8))
                    .setHeader(com.azure.core.http.HttpHeaderName.fromString("Metadata"), "true");
            try (var answer = http.sendSync(ask, com.azure.core.util.Context.NONE)) {
                if (answer.getStatusCode() != 200) {
                    throw new IllegalStateException("the emulator's metadata endpoint answered "
                            + answer.getStatusCode() + ": " + answer.getBodyAsString().block());
                }
                String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        answer.getBodyAsBinaryData().toBytes()).path("access_token").asText();
                return new AccessToken(token, EMULATOR_TOKEN_EXPIRY);
            }
        });
    }

    String subscriptionId() {
        return subscriptionId;
    }

    /** The identity ARM is called with; data planes that take Entra tokens (Azure Files) use it too. */
    TokenCredential credential() {
        return credential;
    }

    HttpClient http() {
        return http;
    }

    ResourceManager resources() {
        return resources;
    }

    StorageManager storage() {
        return storage;
    }

    NetworkManager network() {
        return network;
    }

    ComputeManager compute() {
        return compute;
    }

    AuthorizationManager authorization() {
        return authorization;
    }
}
