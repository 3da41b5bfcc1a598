package org.dsvmpools.azure;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.kit.TlsCertificate;
import org.dsvmpools.pool.WorkItemJson;
import org.dsvmpools.provisioning.BlueprintSettings;
import org.dsvmpools.provisioning.ProvisioningWorker;
import org.dsvmpools.provisioning.WorkerPolicy;

/**
 * The fault campaign's worker process: the production worker on four invocation threads, fed by the
 * {@code pool-requests} queue as the Functions host feeds it (a message is deleted when its invocation ends well
 * and comes back after its visibility timeout otherwise). The campaign kills it with SIGKILL.
 *
 * <p>Arguments: Azurite connection string, pool table, queue, ARM endpoint, the emulator's data folder (its TLS
 * certificate).
 */
public final class CampaignWorkerMain {
    static final Duration VISIBILITY = Duration.ofSeconds(4);

    private CampaignWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        StorageClients storage = new StorageClients(args[0]);
        TablePoolRepository repository = new TablePoolRepository(storage.table(args[1]));
        QueueClient queue = storage.queue(args[2]);
        ArmClients arm = new ArmClients(args[3], null, EmulatorClients.SUBSCRIPTION, new JdkHttpClientBuilder(
                java.net.http.HttpClient.newBuilder().sslContext(TlsCertificate.loadOrCreate(Path.of(args[4]))
                        .clientContext())).build());
        ProvisioningWorker worker = new ProvisioningWorker(repository, new StorageQueueWorkQueue(queue),
                new ArmCloudResources(arm), new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE,
                EmulatorClients.SUBSCRIPTION, null, args[3]), WorkerPolicy.defaults(), Duration.ofSeconds(1),
                SystemClock.utc(), d -> Thread.sleep(Math.min(d.toMillis(), 200)));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            threads.submit(() -> {
                while (true) {
                    List<QueueMessageItem> batch = new ArrayList<>();
                    queue.receiveMessages(1, VISIBILITY, null, null).forEach(batch::add);
                    for (QueueMessageItem message : batch) {
                        try {
                            worker.handle(WorkItemJson.read(message.getBody().toString()));
                            queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
                        } catch (RuntimeException failed) {
                            System.err.println("invocation failed, the message comes back: " + failed);
                        }
                    }
                    if (batch.isEmpty()) {
                        Thread.sleep(100);
                    }
                }
            });
        }
        System.out.println("worker ready");
        threads.awaitTermination(1, java.util.concurrent.TimeUnit.DAYS);
    }
}
