package org.dsvmpools.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.azure.storage.file.share.ShareClient;
import com.azure.storage.file.share.ShareDirectoryClient;
import com.azure.storage.file.share.ShareFileClient;
import com.azure.storage.file.share.ShareServiceClientBuilder;
import com.azure.storage.file.share.models.ShareErrorCode;
import com.azure.storage.file.share.models.ShareFileItem;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    /**
     * How long a writer may hold the manifest's lease: declared in the file's metadata when it takes the lease, and
     * longer than its requests can take with the Files client's retries ({@link #RETRIES}: three tries of at most
     * 10 s each per request). Another writer breaks the lease only once this has passed, never for a holder merely
     * slow; Azure Files' leases never expire by themselves.
     */
    static final Duration HOLD = Duration.ofMinutes(2);
    /** A lease without a declared deadline (its holder died before declaring one) is broken after this wait. */
    static final Duration STALE_LEASE = Duration.ofSeconds(30);
    static final String DEADLINE = "leasedeadline";
    /** How long a removed user's entry stays in the manifest ({@link Manifest#apply(byte[], java.util.Collection,
     * Instant)}). */
    static final Duration REMOVED_KEPT = Duration.ofDays(7);
    /** Put Range takes at most 4 MiB. */
    static final int RANGE = 4 * 1024 * 1024;
    static final RequestRetryOptions RETRIES = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, 3,
            Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(4), null);
    /** Azure's public cloud; pools live there (the blueprint's regions are its regions). */
    static final String FILE_ENDPOINT_SUFFIX = ".file.core.windows.net";

    private final boolean emulator;
    /** The lease deadlines and the removed entries' age: one clock with the rest of the app. */
    private final Clock clock;
    private final Supplier<ArmClients> arm;
    private TokenCredential identity;
    private final Map<ShareRef, ShareClient> shares = new ConcurrentHashMap<>();
    private final Map<ShareRef, Boolean> manifestReady = new ConcurrentHashMap<>();
    private final Map<ShareRef, GroupCommit<List<Member>, Boolean>> manifestWrites = new ConcurrentHashMap<>();
    private final Map<ShareRef, Written> lastWritten = new ConcurrentHashMap<>();
    private final java.util.Set<ShareRef> swept = ConcurrentHashMap.newKeySet();

    /**
     * @param armEndpoint where ARM is: a loopback URL is the emulator, whose Files takes account keys read through
     *                    ARM; against Azure no ARM client is needed (building one takes seconds, and the admin API
     *                    calls this on its HTTP path): the endpoint follows from the account name
     * @param arm         built on the emulator's first share operation
     */
    public AzureFilesPoolShare(String armEndpoint, Supplier<ArmClients> arm, Clock clock) {
        this.emulator = ArmClients.isLoopback(armEndpoint);
        this.arm = arm;
        this.clock = clock;
    }

    @Override
    public void ensureDirectories(ShareRef share, List<String> paths) {
        guarded(() -> {
            ShareClient client = share(share);
            for (String path : paths) {
                ensure(client, path);
            }
            return null;
        });
    }

    /**
     * Azure Files' 403 to the app's identity: its role on the account has not taken effect yet (RBAC takes up to
     * ten minutes), or the firewall does not admit the app's subnet.
     */
    private static <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (ShareStorageException e) {
            if (e.getStatusCode() == 403) {
                throw new PoolShare.AccessDeniedException(String.valueOf(e.getErrorCode()), e);
            }
            throw e;
        }
    }

    /** Azure Files' status and error code, or that it did not answer. */
    @Override
    public String explain(RuntimeException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ShareStorageException e) {
                return "Azure Files answered " + e.getStatusCode() + " " + e.getErrorCode();
            }
            if (cause instanceof java.io.IOException || cause instanceof java.io.UncheckedIOException) {
                return "Azure Files did not answer";
            }
        }
        return failure.getClass().getSimpleName();
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
        guarded(() -> {
            moveDirectory(share, from, to);
            return null;
        });
    }

    private void moveDirectory(ShareRef share, String from, String to) {
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
        guarded(() -> manifestWrites.computeIfAbsent(share, ref -> new GroupCommit<>(Integer.MAX_VALUE))
                .run(changes, batch -> {
                    writeUnderLease(share, batch.stream().flatMap(List::stream).toList());
                    return Collections.nCopies(batch.size(), Boolean.TRUE);
                }));
    }

    /** @throws Manifest.UnreadableException when the manifest does not parse (only a repair fixes that) */
    @Override
    public Map<LinuxUserName, Instant> published(ShareRef share) {
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        guarded(() -> {
            manifest(share).download(current);
            return null;
        });
        return Manifest.changeTimes(current.toByteArray());
    }

    /** The manifest as this instance last wrote it, with the version Azure Files gave that write. */
    private record Written(byte[] contents, String etag) {
    }

    @Override
    public void rebuildManifest(ShareRef share, List<Member> members) {
        guarded(() -> {
            write(share, read -> Manifest.of(members));
            return null;
        });
    }

    private void writeUnderLease(ShareRef share, List<Member> changes) {
        write(share, read -> Manifest.apply(read, changes, clock.instant().minus(REMOVED_KEPT)));
    }

    /**
     * One manifest write, never leaving readers (the app, the VM agents) a file that does not parse: under the
     * manifest's lease, the new contents go to a file of their own, which then replaces the manifest in one Rename
     * File (replace-if-exists, the lease id as the destination's). A crash or a failed request before the rename
     * leaves the old manifest whole and a stray file; after it, the new one. The rename is fenced: a writer whose
     * lease was broken (past its deadline) cannot replace a newer manifest, since the lease id no longer matches;
     * it starts again from the lease.
     */
    private void write(ShareRef share, java.util.function.UnaryOperator<byte[]> change) {
        ShareClient client = share(share);
        ShareFileClient file = manifest(share);
        for (int attempt = 1; ; attempt++) {
            ShareLeaseClient lease = new ShareLeaseClientBuilder().fileClient(file).buildClient();
            Response<String> leased = acquire(file, lease);
            ShareRequestConditions held = new ShareRequestConditions().setLeaseId(leased.getValue());
            ShareFileClient next = client.getFileClient(UserFolders.MANIFEST + "." + UUID.randomUUID() + ".new");
            boolean replaced = false;
            try {
                file.setMetadataWithResponse(Map.of(DEADLINE, clock.instant().plus(HOLD).toString()), held, null,
                        Context.NONE);
                sweepOnce(share, client);
                byte[] read = contents(share, file, held, leased.getHeaders().getValue(HttpHeaderName.ETAG));
                byte[] bytes = change.apply(read);
                if (bytes == read) {
                    return;
                }
                next.create(bytes.length);
                for (int from = 0; from < bytes.length; from += RANGE) {
                    int length = Math.min(RANGE, bytes.length - from);
                    next.uploadRangeWithResponse(new ShareFileUploadRangeOptions(new ByteArrayInputStream(bytes, from,
                            length), length).setOffset((long) from), null, Context.NONE);
                }
                // Rename File answers with the new manifest's ETag: no properties read needed for the cache.
                String etag = next.renameWithResponse(new ShareFileRenameOptions(UserFolders.MANIFEST)
                        .setReplaceIfExists(true).setDestinationRequestConditions(held), null, Context.NONE)
                        .getHeaders().getValue(HttpHeaderName.ETAG);
                replaced = true;
                lastWritten.put(share, new Written(bytes, etag));
                return;
            } catch (ShareStorageException e) {
                boolean fenced = e.getStatusCode() == 412;
                // A VM agent reading the manifest over SMB at that moment can hold the rename off.
                boolean inUse = e.getStatusCode() == 409 && "SharingViolation".equals(String.valueOf(e.getErrorCode()));
                if (!(fenced || inUse) || attempt >= 3) {
                    throw e;
                }
                // Fenced: the lease was broken and another writer may have written since. Either way, read again
                // under a new lease and write again.
                sleep(100L * attempt);
            } finally {
                if (!replaced) {
                    quietly(() -> next.deleteIfExists());
                    quietly(lease::releaseLease);
                }
            }
        }
    }

    /**
     * Deletes the new-manifest files a crashed writer left, once per share and app instance. Under the lease no
     * other writer is writing one: a writer whose lease was broken and is still writing loses its file, and its
     * rename fails, as it would have anyway.
     */
    private void sweepOnce(ShareRef share, ShareClient client) {
        if (!swept.add(share)) {
            return;
        }
        for (ShareFileItem item : client.getDirectoryClient(UserFolders.MANIFEST_DIRECTORY).listFilesAndDirectories()) {
            if (!item.isDirectory() && item.getName().startsWith(UserFolders.MANIFEST.substring(
                    UserFolders.MANIFEST.lastIndexOf('/') + 1) + ".") && item.getName().endsWith(".new")) {
                quietly(() -> client.getFileClient(UserFolders.MANIFEST_DIRECTORY + "/" + item.getName())
                        .deleteIfExists());
            }
        }
    }

    private static void quietly(Runnable cleanup) {
        try {
            cleanup.run();
        } catch (RuntimeException e) {
            // The lease already ended (broken, or gone with the file it was on), or the file never existed.
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

    /**
     * Takes the manifest's lease, waiting for other writers. A holder's lease is broken only past the deadline it
     * declared, or, when it declared none, after {@link #STALE_LEASE} of waiting; breaking a lease its holder has
     * just released is 409 on Azure, which only means it is free.
     */
    private Response<String> acquire(ShareFileClient file, ShareLeaseClient lease) {
        long waitedSince = System.nanoTime();
        long pause = 10;
        while (true) {
            try {
                return lease.acquireLeaseWithResponse(new ShareAcquireLeaseOptions(), null, Context.NONE);
            } catch (ShareStorageException e) {
                if (e.getStatusCode() != 409 || !"LeaseAlreadyPresent".equals(String.valueOf(e.getErrorCode()))) {
                    throw e;
                }
            }
            if (holderOverdue(file, waitedSince)) {
                quietly(lease::breakLease);
                waitedSince = System.nanoTime();
            }
            sleep(pause);
            pause = Math.min(pause * 2, 200);
        }
    }

    private boolean holderOverdue(ShareFileClient file, long waitedSince) {
        String deadline;
        try {
            deadline = file.getProperties().getMetadata().get(DEADLINE);
        } catch (ShareStorageException e) {
            return false;
        }
        if (deadline != null) {
            try {
                return clock.instant().isAfter(Instant.parse(deadline));
            } catch (java.time.format.DateTimeParseException e) {
                return true;
            }
        }
        return System.nanoTime() - waitedSince > STALE_LEASE.toNanos();
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
                    .credential(identity()).shareTokenIntent(ShareTokenIntent.BACKUP).retryOptions(RETRIES).buildClient()
                    .getShareClient(share.share());
        }
        ArmClients arm = this.arm.get();
        var accounts = arm.storage().serviceClient().getStorageAccounts();
        String endpoint = ArmCalls.call(() -> accounts.getByResourceGroup(share.resourceGroup(),
                share.storageAccount())).primaryEndpoints().file();
        String key = ArmCalls.call(() -> accounts.listKeys(share.resourceGroup(), share.storageAccount()).keys()
                .get(0).value());
        return new ShareServiceClientBuilder().endpoint(endpoint).httpClient(arm.http()).retryOptions(RETRIES)
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
