package org.dsvmpools.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.util.Context;
import com.azure.resourcemanager.storage.fluent.models.StorageAccountInner;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.file.share.ShareClient;
import com.azure.storage.file.share.ShareDirectoryClient;
import com.azure.storage.file.share.ShareFileClient;
import com.azure.storage.file.share.ShareServiceClientBuilder;
import com.azure.storage.file.share.models.ShareErrorCode;
import com.azure.storage.file.share.models.ShareFileUploadRangeOptions;
import com.azure.storage.file.share.models.ShareRequestConditions;
import com.azure.storage.file.share.models.ShareStorageException;
import com.azure.storage.file.share.models.ShareTokenIntent;
import com.azure.storage.file.share.options.ShareFileRenameOptions;
import com.azure.storage.file.share.specialized.ShareLeaseClient;
import com.azure.storage.file.share.specialized.ShareLeaseClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.dsvmpools.onboarding.PoolShare;
import org.dsvmpools.onboarding.ShareRef;
import org.dsvmpools.onboarding.UserFolders;
import reactor.core.publisher.Mono;

/**
 * {@link PoolShare} on the Azure Files SDK. The account's file endpoint is read from ARM once per share. Against
 * Azure the function authenticates with its managed identity (OAuth with the backup token intent, which Azure
 * Files requires for Entra tokens over REST), so no account key is in the function app; against the local
 * emulator, which takes shared keys only, the key comes from ARM's listKeys.
 */
public final class AzureFilesPoolShare implements PoolShare {
    /** A manifest write holds the lease for a few requests; one held far longer belongs to a crashed writer. */
    static final Duration STALE_LEASE = Duration.ofSeconds(30);

    private final Supplier<ArmClients> arm;
    private final Map<ShareRef, ShareClient> shares = new ConcurrentHashMap<>();
    private final Map<ShareRef, Boolean> manifestReady = new ConcurrentHashMap<>();
    private final Map<ShareRef, GroupCommit<UnaryOperator<byte[]>>> batches = new ConcurrentHashMap<>();

    /** @param arm built on the first share operation, never for a read of the roster alone */
    public AzureFilesPoolShare(Supplier<ArmClients> arm) {
        this.arm = arm;
    }

    @Override
    public void ensureDirectories(ShareRef share, List<String> paths) {
        ShareClient client = share(share);
        for (String path : paths) {
            ensure(client, path);
        }
    }

    /** One request when the parent exists, as it does for every user but the first. */
    private static void ensure(ShareClient client, String path) {
        try {
            client.getDirectoryClient(path).createIfNotExists();
        } catch (ShareStorageException e) {
            if (!"ParentNotFound".equals(String.valueOf(e.getErrorCode())) || path.indexOf('/') < 0) {
                throw e;
            }
            ensure(client, path.substring(0, path.lastIndexOf('/')));
            client.getDirectoryClient(path).createIfNotExists();
        }
    }

    @Override
    public void move(ShareRef share, String from, String to) {
        ShareClient client = share(share);
        ShareDirectoryClient source = client.getDirectoryClient(from);
        ensure(client, to.substring(0, to.lastIndexOf('/')));
        try {
            source.renameWithResponse(new ShareFileRenameOptions(to), null, Context.NONE);
        } catch (ShareStorageException e) {
            // No source: the move was made before (a repeated removal), or the user never had a folder.
            if (!ShareErrorCode.RESOURCE_NOT_FOUND.equals(e.getErrorCode())) {
                throw e;
            }
        }
    }

    /**
     * Concurrent changes in this app instance share one write: the writer takes the lease, reads the manifest once,
     * applies every queued change in order and writes once.
     */
    @Override
    public void updateManifest(ShareRef share, UnaryOperator<byte[]> change) {
        batches.computeIfAbsent(share, ref -> new GroupCommit<>()).run(change, batch -> writeUnderLease(share, batch));
    }

    private void writeUnderLease(ShareRef share, List<UnaryOperator<byte[]>> changes) {
        ShareFileClient file = manifest(share);
        ShareLeaseClient lease = new ShareLeaseClientBuilder().fileClient(file).buildClient();
        String leaseId = acquire(lease);
        try {
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            file.downloadWithResponse(current, null, null, new ShareRequestConditions().setLeaseId(leaseId), null,
                    Context.NONE);
            byte[] bytes = current.toByteArray();
            for (UnaryOperator<byte[]> change : changes) {
                bytes = change.apply(bytes);
            }
            ShareRequestConditions held = new ShareRequestConditions().setLeaseId(leaseId);
            file.createWithResponse(bytes.length, null, null, null, null, held, null, Context.NONE);
            if (bytes.length > 0) {
                file.uploadRangeWithResponse(new ShareFileUploadRangeOptions(new ByteArrayInputStream(bytes),
                        bytes.length).setRequestConditions(held), null, Context.NONE);
            }
        } finally {
            lease.releaseLease();
        }
    }

    /** Takes the manifest's lease, waiting for other writers; a lease older than {@link #STALE_LEASE} is broken. */
    private static String acquire(ShareLeaseClient lease) {
        long deadline = System.nanoTime() + STALE_LEASE.toNanos();
        long pause = 10;
        while (true) {
            try {
                return lease.acquireLease();
            } catch (ShareStorageException e) {
                if (e.getStatusCode() != 409 || !"LeaseAlreadyPresent".equals(String.valueOf(e.getErrorCode()))) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    lease.breakLease();
                    deadline = System.nanoTime() + STALE_LEASE.toNanos();
                }
            }
            sleep(pause);
            pause = Math.min(pause * 2, 200);
        }
    }

    private ShareFileClient manifest(ShareRef share) {
        ShareClient client = share(share);
        ShareFileClient file = client.getFileClient(UserFolders.MANIFEST);
        manifestReady.computeIfAbsent(share, ref -> {
            client.getDirectoryClient(UserFolders.MANIFEST_DIRECTORY).createIfNotExists();
            if (!Boolean.TRUE.equals(file.exists())) {
                try {
                    file.create(0);
                } catch (ShareStorageException raced) {
                    if (raced.getStatusCode() != 412) {
                        throw raced;
                    }
                }
            }
            return true;
        });
        return file;
    }

    private ShareClient share(ShareRef share) {
        return shares.computeIfAbsent(share, this::connect);
    }

    private ShareClient connect(ShareRef share) {
        ArmClients arm = this.arm.get();
        StorageAccountInner account = ArmCalls.call(() -> arm.storage().serviceClient().getStorageAccounts()
                .getByResourceGroup(share.resourceGroup(), share.storageAccount()));
        String endpoint = account.primaryEndpoints().file();
        ShareServiceClientBuilder builder = new ShareServiceClientBuilder().endpoint(endpoint).httpClient(arm.http());
        if (arm.emulator()) {
            String key = ArmCalls.call(() -> arm.storage().serviceClient().getStorageAccounts()
                    .listKeys(share.resourceGroup(), share.storageAccount()).keys().get(0).value());
            URI uri = URI.create(endpoint);
            builder.credential(new StorageSharedKeyCredential(share.storageAccount(), key))
                    .addPolicy(new RestoreEndpoint(uri.getPort(), "/" + share.storageAccount()));
        } else {
            builder.credential(arm.credential()).shareTokenIntent(ShareTokenIntent.BACKUP);
        }
        return builder.buildClient().getShareClient(share.share());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the manifest's lease", e);
        }
    }

    /**
     * The Files builder cuts a custom endpoint down to scheme and host; the emulator listens on its own port
     * under the account's path, so both are put back on every try.
     */
    private record RestoreEndpoint(int port, String accountPath) implements HttpPipelinePolicy {
        @Override
        public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
            java.net.URL url = context.getHttpRequest().getUrl();
            if (url.getPort() != port) {
                String path = url.getPath().startsWith(accountPath + "/") || url.getPath().equals(accountPath)
                        ? url.getPath() : accountPath + url.getPath();
                String query = url.getQuery() == null ? "" : "?" + url.getQuery();
                context.getHttpRequest().setUrl(url.getProtocol() + "://" + url.getHost() + ":" + port + path + query);
            }
            return next.process();
        }

        @Override
        public HttpPipelinePosition getPipelinePosition() {
            return HttpPipelinePosition.PER_RETRY;
        }
    }
}
