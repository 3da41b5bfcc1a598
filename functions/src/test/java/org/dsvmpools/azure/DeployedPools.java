package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.queue.QueueClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.dsvmpools.azure.ArmCloudResources;
import org.dsvmpools.azure.StorageQueueWorkQueue;
import org.dsvmpools.kit.SamplePools;
import org.dsvmpools.azure.WorkerDriver;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.PoolIntake;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.PoolRepository;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.pool.PoolStatus;
import org.dsvmpools.provisioning.BlueprintSettings;
import org.dsvmpools.provisioning.ProvisioningWorker;
import org.dsvmpools.provisioning.WorkerPolicy;

/** A Ready pool, requested through the intake and deployed to the emulator by the production worker. */
public final class DeployedPools {
    private static final Caller ALICE = new Caller("alice-id", "Alice", Set.of());

    private DeployedPools() {
    }

    public static PoolName deploy(LocalCloud local, PoolRepository repository, String name) throws Exception {
        return deploy(local, repository, name, SamplePools.document(name));
    }

    /** @param document the pool as POSTed */
    public static PoolName deploy(LocalCloud local, PoolRepository repository, String name, String document)
            throws Exception {
        QueueClient queue = local.storage.queue("deploy-" + name);
        queue.createIfNotExists();
        new PoolIntake(repository, new StorageQueueWorkQueue(queue), SystemClock.utc()).submit(
                PoolSpecJson.read(new ObjectMapper().readTree(document)).spec(), ALICE);
        ProvisioningWorker worker = new ProvisioningWorker(repository, new StorageQueueWorkQueue(queue),
                new ArmCloudResources(local.arm), new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE,
                EmulatorClients.SUBSCRIPTION, null, local.emulator.armEndpoint()), WorkerPolicy.defaults(),
                Duration.ofSeconds(1), SystemClock.utc(), d -> Thread.sleep(Math.min(d.toMillis(), 50)));
        assertThat(new WorkerDriver(queue, repository).drive(name, worker, Duration.ofSeconds(60)).status())
                .isEqualTo(PoolStatus.Ready);
        return new PoolName(name);
    }
}
