package org.dsvmpools.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import java.time.Duration;

/**
 * Builds the Storage clients of the app from a connection string (Azurite, or an account that allows keys) or,
 * in Azure, from the account's service URIs and the app's managed identity, as the Functions host reads an
 * identity-based {@code AzureWebJobsStorage}; all on one JDK HTTP client (one small jar, no Netty: cold start
 * matters in Functions). Retries are kept short because these clients serve HTTP requests:
 * a caller waiting half a minute for a queue outage is worse than a quick, honest answer.
 */
public final class StorageClients {
    private static final int MAX_TRIES = 3;
    private static final Duration TRY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);

    private final String connectionString;
    private final Identity identity;
    private final HttpClient httpClient;

    /**
     * The identity-based form: the service URIs, and the user-assigned identity's client id (null: the
     * system-assigned one).
     */
    public record Identity(String tableServiceUri, String queueServiceUri, String clientId) {
    }

    public StorageClients(String connectionString) {
        this.connectionString = connectionString;
        this.identity = null;
        this.httpClient = new JdkHttpClientBuilder().build();
    }

    public StorageClients(Identity identity) {
        this.connectionString = null;
        this.identity = identity;
        this.httpClient = new JdkHttpClientBuilder().build();
    }

    private com.azure.core.credential.TokenCredential credential() {
        var builder = new com.azure.identity.ManagedIdentityCredentialBuilder();
        return identity.clientId() == null ? builder.build() : builder.clientId(identity.clientId()).build();
    }

    public TableClient table(String name) {
        TableClientBuilder builder = new TableClientBuilder();
        if (identity == null) {
            builder.connectionString(connectionString);
        } else {
            builder.endpoint(identity.tableServiceUri()).credential(credential());
        }
        return builder
                .tableName(name)
                .httpClient(httpClient)
                .retryOptions(new RetryOptions(new ExponentialBackoffOptions()
                        .setMaxRetries(MAX_TRIES - 1)
                        .setBaseDelay(FIRST_RETRY_DELAY)
                        .setMaxDelay(MAX_RETRY_DELAY)))
                .buildClient();
    }

    /** A queue client that writes messages base64-encoded, as the Functions queue trigger reads them by default. */
    public QueueClient queue(String name) {
        QueueClientBuilder builder = new QueueClientBuilder();
        if (identity == null) {
            builder.connectionString(connectionString);
        } else {
            builder.endpoint(identity.queueServiceUri()).credential(credential());
        }
        return builder
                .queueName(name)
                .httpClient(httpClient)
                .messageEncoding(QueueMessageEncoding.BASE64)
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, MAX_TRIES,
                        TRY_TIMEOUT, FIRST_RETRY_DELAY, MAX_RETRY_DELAY, null))
                .buildClient();
    }
}
