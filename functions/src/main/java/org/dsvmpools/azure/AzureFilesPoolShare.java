package org.dsvmpools.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
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
import com.azure.storage.file.share.options.ShareAcquireLeaseOptions;
import com.azure.storage.file.share.options.ShareFileRenameOptions;
import com.azure.storage.file.share.specialized.ShareLeaseClient;
import com.azure.storage.file.share.specialized.ShareLeaseClientBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.dsvmpools.onboarding.Manifest;
import org.dsvmpools.onboarding.Member;
import org.dsvmpools.onboarding.PoolShare;
import org.dsvmpools.onboarding.ShareRef;
import org.dsvmpools.onboarding.UserFolders;
import org.dsvmpools.pool.LinuxUserName;

/**
 * {@link PoolShare} on the Azure Files SDK. Against Azure the function authenticates with its managed identity
 * (OAuth with the backup token intent, which Azure Files requires for Entra tokens over REST), so no account key is
 * in the function app; against the local emulator, which takes shared keys only, the endpoint and key come from
 * ARM, once per share.
 */
public final class AzureFilesPoolShare implements PoolShare {
    /** A manifest write holds the lease for a few requests; one held far longer belongs to a crashed writer. */
    static final Duration STALE_LEASE = Duration.ofSeconds(30);
    /** Azure's public cloud; pools live there (the blueprint's regions are its regions). */
    static final String FILE_ENDPOINT_SUFFIX = ".file.core.windows.net";

    private final boolean emulator;
    private final Supplier<ArmClients> arm;
    private TokenCredential identity;
    private final Map<ShareRef, ShareClient> shares = new ConcurrentHashMap<>();
    private final Map<ShareRef, Boolean> manifestReady = new ConcurrentHashMap<>();
    private final Map<ShareRef, GroupCommit<List<Member>, Boolean>> manifestWrites = new ConcurrentHashMap<>();
    private final Map<ShareRef, Written> lastWritten = new ConcurrentHashMap<>();

    /**
     * @param armEndpoint where ARM is: a loopback URL is the emulator, whose Files takes account keys read through
     *                    ARM; against Azure no ARM client is needed (building one takes seconds, and the admin API
     *                    calls this on its HTTP path): the endpoint follows from the account name
     * @param arm         built on the emulator's first share operation
     */
    public AzureFilesPoolShare(String armEndpoint, Supplier<ArmClients> arm) {
        this.emulator = ArmClients.isLoopback(armEndpoint);
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
     * Concurrent changes in this app instance share one write: the writer takes the lease, reads the manifest (unless
     * it is the copy this instance wrote last, which the lease's ETag tells), applies every queued change and writes
     * once.
     */
    @Override
    public void updateManifest(ShareRef share, List<Member> changes) {
        manifestWrites.computeIfAbsent(share, ref -> new GroupCommit<>(Integer.MAX_VALUE)).run(changes, batch -> {
            writeUnderLease(share, batch.stream().flatMap(List::stream).toList());
            return Collections.nCopies(batch.size(), Boolean.TRUE);
        });
    }

    @Override
    public Map<LinuxUserName, Instant> published(ShareRef share) {
        ShareFileClient file = manifest(share);
        for (int attempt = 1; ; attempt++) {
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            file.download(current);
            try {
                return Manifest.changeTimes(current.toByteArray());
            } catch (IllegalStateException halfWritten) {
                // A writer sets the file's new length, then its contents: read between the two, it is zeros.
                if (attempt == 3) {
                    throw halfWritten;
                }
                sleep(50L * attempt);
            }
        }
    }

    /** The manifest as this instance last wrote it, with the version Azure Files gave that write. */
    private record Written(byte[] contents, String etag) {
    }

    private void writeUnderLease(ShareRef share, List<Member> changes) {
        ShareFileClient file = manifest(share);
        ShareLeaseClient lease = new ShareLeaseClientBuilder().fileClient(file).buildClient();
        Response<String> leased = acquire(lease);
        ShareRequestConditions held = new ShareRequestConditions().setLeaseId(leased.getValue());
        try {
            byte[] read = contents(share, file, held, leased.getHeaders().getValue(HttpHeaderName.ETAG));
            byte[] bytes = Manifest.apply(read, changes);
            if (bytes == read) {
                return;
            }
            String etag = file.createWithResponse(bytes.length, null, null, null, null, held, null, Context.NONE)
                    .getValue().getETag();
            if (bytes.length > 0) {
                etag = file.uploadRangeWithResponse(new ShareFileUploadRangeOptions(new ByteArrayInputStream(bytes),
                        bytes.length).setRequestConditions(held), null, Context.NONE).getValue().getETag();
            }
            lastWritten.put(share, new Written(bytes, etag));
        } finally {
            lease.releaseLease();
        }
    }

    /** The manifest's contents: the copy written last when nobody has written since, else a fresh read. */
    private byte[] contents(ShareRef share, ShareFileClient file, ShareRequestConditions held, String etag) {
        Written last = lastWritten.get(share);
        if (last != null && etag != null && etag.equals(last.etag())) {
            return last.contents();
        }
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        file.downloadWithResponse(current, null, null, held, null, Context.NONE);
        return current.toByteArray();
    }

    /** Takes the manifest's lease, waiting for other writers; a lease older than {@link #STALE_LEASE} is broken. */
    private static Response<String> acquire(ShareLeaseClient lease) {
        long deadline = System.nanoTime() + STALE_LEASE.toNanos();
        long pause = 10;
        while (true) {
            try {
                return lease.acquireLeaseWithResponse(new ShareAcquireLeaseOptions(), null, Context.NONE);
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
            createOnce(client, file);
            return true;
        });
        return file;
    }

    /**
     * Creates the empty manifest unless it exists. Files has no create-if-absent for files, and creating a file
     * that exists empties it, so two app instances finding it missing could empty what the first wrote: the one
     * whose request creates {@code .pool} (201, where the other gets 409) creates the file, and the other waits for
     * it. Only a creator that stopped between the two makes the other create it, after {@link #STALE_LEASE}.
     */
    private static void createOnce(ShareClient client, ShareFileClient file) {
        if (Boolean.TRUE.equals(file.exists())) {
            return;
        }
        boolean elected = client.getDirectoryClient(UserFolders.MANIFEST_DIRECTORY)
                .createIfNotExistsWithResponse(null, null, Context.NONE).getStatusCode() == 201;
        long deadline = System.nanoTime() + STALE_LEASE.toNanos();
        while (!elected && System.nanoTime() < deadline) {
            sleep(100);
            if (Boolean.TRUE.equals(file.exists())) {
                return;
            }
        }
        file.create(0);
    }

    private ShareClient share(ShareRef share) {
        return shares.computeIfAbsent(share, this::connect);
    }

    private ShareClient connect(ShareRef share) {
        if (!emulator) {
            return new ShareServiceClientBuilder().endpoint("https://" + share.storageAccount() + FILE_ENDPOINT_SUFFIX)
                    .credential(identity()).shareTokenIntent(ShareTokenIntent.BACKUP).buildClient()
                    .getShareClient(share.share());
        }
        ArmClients arm = this.arm.get();
        var accounts = arm.storage().serviceClient().getStorageAccounts();
        String endpoint = ArmCalls.call(() -> accounts.getByResourceGroup(share.resourceGroup(),
                share.storageAccount())).primaryEndpoints().file();
        String key = ArmCalls.call(() -> accounts.listKeys(share.resourceGroup(), share.storageAccount()).keys()
                .get(0).value());
        return new ShareServiceClientBuilder().endpoint(endpoint).httpClient(arm.http())
                .credential(new StorageSharedKeyCredential(share.storageAccount(), key))
                .addPolicy(new FilesEndpointRestore(URI.create(endpoint).getPort(), share.storageAccount()))
                .buildClient().getShareClient(share.share());
    }

    /** The Function App's managed identity, looked up on the first share operation. */
    private synchronized TokenCredential identity() {
        if (identity == null) {
            identity = new DefaultAzureCredentialBuilder().build();
        }
        return identity;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the manifest", e);
        }
    }
}
