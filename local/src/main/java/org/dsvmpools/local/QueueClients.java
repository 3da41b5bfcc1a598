package org.dsvmpools.local;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.QueueClientBuilder;
import com.azure.storage.queue.QueueMessageEncoding;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Queue clients of the host, with host.json's message encoding, and sends that create a missing queue once. */
final class QueueClients {
    private final boolean base64;
    private final HttpClient httpClient = new JdkHttpClientBuilder().build();
    private final Map<String, QueueClient> clients = new ConcurrentHashMap<>();
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    QueueClients(boolean base64) {
        this.base64 = base64;
    }

    QueueClient client(String connection, String queueName) {
        return clients.computeIfAbsent(connection + "|" + queueName, key -> new QueueClientBuilder()
                .connectionString(connection).queueName(queueName).httpClient(httpClient)
                .messageEncoding(base64 ? QueueMessageEncoding.BASE64 : QueueMessageEncoding.NONE)
                .buildClient());
    }

    void send(String connection, String queueName, String message) {
        QueueClient queue = client(connection, queueName);
        if (created.add(connection + "|" + queueName)) {
            queue.createIfNotExists();
        }
        queue.sendMessage(message);
    }
}
