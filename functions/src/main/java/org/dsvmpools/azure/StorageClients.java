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
 * Builds the Storage clients of the app from a connection string, all on one JDK HTTP client (one small jar,
 * no Netty: cold start matters in Functions). Retries are kept short because these clients serve HTTP requests:
 * a caller waiting half a minute for a queue outage is worse than a quick, honest answer.
 */
public final class StorageClients {
    private static final int MAX_TRIES = 3;
    private static final Duration TRY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_RETRY_DELAY = Duration.ofMillis(200);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(2);

    private final String connectionString;
    private final HttpClient httpClient;

    public StorageClients(String connectionString) {
        this.connectionString = connectionString;
        this.httpClient = new JdkHttpClientBuilder().build();
    }

    public TableClient table(String name) {
        return new TableClientBuilder()
                .connectionString(connectionString)
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
        return new QueueClientBuilder()
                .connectionString(connectionString)
                .queueName(name)
                .httpClient(httpClient)
                .messageEncoding(QueueMessageEncoding.BASE64)
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, MAX_TRIES,
                        TRY_TIMEOUT, FIRST_RETRY_DELAY, MAX_RETRY_DELAY, null))
                .buildClient();
    }
}
