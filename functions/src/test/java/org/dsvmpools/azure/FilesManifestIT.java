package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.file.share.ShareClient;
import com.azure.storage.file.share.ShareFileClient;
import com.azure.storage.file.share.models.ShareRequestConditions;
import com.azure.storage.file.share.models.ShareStorageException;
import com.azure.storage.file.share.options.ShareFileRenameOptions;
import com.azure.storage.file.share.specialized.ShareLeaseClient;
import com.azure.storage.file.share.specialized.ShareLeaseClientBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dsvmpools.kit.SamplePools;
import org.dsvmpools.onboarding.NewUser;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.onboarding.UserFolders;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The roster manifest on the emulator's Azure Files, which answers as the service does (the Lease File state
 * table, 4 MiB ranges, reserved names, Rename File with replace-if-exists and the destination's lease) and takes
 * injected faults: no failure between two calls of a manifest update leaves readers a broken manifest.
 */
class FilesManifestIT extends LocalCloudTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final java.time.Clock CLOCK = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
    private static int pools;
    private TablePoolRepository repository;
    private TableRosterStore roster;

    @AfterEach
    void noFaults() throws Exception {
        local.emulator.configureFaults("{}");
        local.emulator.setFilesCallerSubnet(null);
        local.emulator.setFilesIopsLimit(0);
    }

    private PoolName readyPool() throws Exception {
        int n = ++pools;
        repository = new TablePoolRepository(local.storage.table("filespools" + n));
        roster = new TableRosterStore(local.storage.table("filesroster" + n));
        return DeployedPools.deploy(local, repository, "files-" + n, SamplePools.document("files-" + n));
    }

    private Onboarding onboarding() {
        // The test's time for everything it drives: the roster's event times and the manifest's clock.
        return new Onboarding(repository, roster, new AzureFilesPoolShare(local.emulator.armEndpoint(),
                () -> local.arm, CLOCK), CLOCK);
    }

    private static NewUser user(String name) {
        return new NewUser(new LinuxUserName(name), name + "@example.org", name, List.of(), null);
    }

    private static List<String> manifestNames(ShareClient share) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        share.getFileClient(UserFolders.MANIFEST).download(out);
        JsonNode manifest = new ObjectMapper().readTree(out.toByteArray());
        List<String> names = new ArrayList<>();
        manifest.path("users").forEach(u -> names.add(u.path("name").asText()));
        return names;
    }

    /** Each request of a manifest update failing for good (all of the SDK's tries): the old manifest stays whole. */
    @ParameterizedTest(name = "failing: {0}")
    @ValueSource(strings = {"comp=metadata", ".new?", "comp=range", "comp=rename"})
    void aFailureAtAnyStepOfAnUpdateLeavesTheManifestWholeAndTheNextUpdateWorks(String step) throws Exception {
        PoolName pool = readyPool();
        Onboarding onboarding = onboarding();
        onboarding.add(pool, user("ann"), T0);
        local.emulator.configureFaults("{\"rules\":[{\"match\":\"" + step + "\",\"kind\":\"internal\",\"count\":3}]}");

        assertThatThrownBy(() -> onboarding.add(pool, user("bob"), T0.plusSeconds(1)))
                .isInstanceOf(ShareStorageException.class);

        ShareClient share = local.share(pool);
        assertThat(manifestNames(share)).as("still parses, still has ann").containsExactly("ann");
        local.emulator.configureFaults("{}");
        onboarding.add(pool, user("cy"), T0.plusSeconds(2));
        assertThat(manifestNames(share)).contains("ann", "cy");
        assertThat(onboarding().members(pool).orElseThrow()).extracting(m -> m.name().value())
                .contains("ann", "bob", "cy");
        onboarding.refreshManifest(pool);
        assertThat(manifestNames(share)).as("the daily repair puts bob in").contains("ann", "bob", "cy");
    }

    @Test
    void aManifestThatDoesNotParseIsRebuiltFromTheRosterAtTheNextChange() throws Exception {
        PoolName pool = readyPool();
        Onboarding onboarding = onboarding();
        onboarding.add(pool, user("dee"), T0);
        ShareFileClient file = local.share(pool).getFileClient(UserFolders.MANIFEST);
        byte[] zeros = new byte[64];
        file.create(zeros.length);
        file.uploadRange(new ByteArrayInputStream(zeros), zeros.length);

        onboarding.add(pool, user("eli"), T0.plusSeconds(1));

        assertThat(manifestNames(local.share(pool))).containsExactlyInAnyOrder("dee", "eli");
    }

    @Test
    void aNewManifestFileACrashedWriterLeftIsSweptByTheNextWriter() throws Exception {
        PoolName pool = readyPool();
        onboarding().add(pool, user("jan"), T0);
        ShareFileClient stray = local.share(pool).getFileClient(UserFolders.MANIFEST + ".0a1b2c.new");
        stray.create(3);

        onboarding().add(pool, user("kit"), T0.plusSeconds(1));

        assertThat(stray.exists()).isFalse();
        assertThat(manifestNames(local.share(pool))).contains("jan", "kit");
    }

    /** A pool's storage firewall admits its subnet and the control plane's: an app elsewhere is refused, plainly. */
    @Test
    void anAppOutsideThePoolsAdmittedSubnetsIsRefusedByTheStorageFirewall() throws Exception {
        PoolName pool = readyPool();
        local.emulator.setFilesCallerSubnet("/subscriptions/" + EmulatorClients.SUBSCRIPTION
                + "/resourceGroups/elsewhere/providers/Microsoft.Network/virtualNetworks/v/subnets/app");

        assertThatThrownBy(() -> onboarding().add(pool, user("lou"), T0))
                .isInstanceOf(org.dsvmpools.onboarding.PoolShare.AccessDeniedException.class)
                .hasMessageContaining("AuthorizationFailure").hasMessageContaining("storage firewall");
        org.dsvmpools.pool.AzureNames names = org.dsvmpools.pool.AzureNames.of(pool);
        local.emulator.setFilesCallerSubnet("/subscriptions/" + EmulatorClients.SUBSCRIPTION + "/resourceGroups/"
                + names.resourceGroup() + "/providers/Microsoft.Network/virtualNetworks/" + names.virtualNetwork()
                + "/subnets/" + names.subnet());
        assertThat(onboarding().add(pool, user("lou"), T0.plusSeconds(1)))
                .isInstanceOf(Onboarding.Outcome.Done.class);
    }

    /** A share over its IOPS answers 503 ServerBusy; the Files client backs off and every user still arrives. */
    @Test
    void aBurstOverTheSharesIopsIsBackedOffAndEveryUserArrives() throws Exception {
        PoolName pool = readyPool();
        Onboarding onboarding = onboarding();
        onboarding.add(pool, user("max"), T0);
        local.emulator.fileRequests().clear();
        local.emulator.setFilesIopsLimit(25);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Onboarding.Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String name = "burst" + i;
            outcomes.add(callers.submit(() -> onboarding.add(pool, user(name), T0.plusSeconds(1))));
        }
        for (var outcome : outcomes) {
            assertThat(outcome.get(60, TimeUnit.SECONDS)).isInstanceOf(Onboarding.Outcome.Done.class);
        }
        callers.shutdown();

        assertThat(local.emulator.fileRequests().entries()).as("the share was throttled")
                .anyMatch(entry -> entry.status() == 503);
        assertThat(manifestNames(local.share(pool))).hasSize(17);
    }

    /** A writer that holds the lease with a deadline ahead is waited for, not broken, however long it takes. */
    @Test
    void aSlowHoldersLeaseIsNotBrokenAndTheWaitingWriterGoesOnAfterIt() throws Exception {
        PoolName pool = readyPool();
        Onboarding onboarding = onboarding();
        onboarding.add(pool, user("fay"), T0);
        ShareFileClient file = local.share(pool).getFileClient(UserFolders.MANIFEST);
        ShareLeaseClient holder = new ShareLeaseClientBuilder().fileClient(file).buildClient();
        String held = holder.acquireLease();
        file.setMetadataWithResponse(Map.of(AzureFilesPoolShare.DEADLINE, T0.plusSeconds(120).toString()),
                new ShareRequestConditions().setLeaseId(held), null, com.azure.core.util.Context.NONE);

        CompletableFuture<Onboarding.Outcome> waiting = CompletableFuture.supplyAsync(
                () -> onboarding.add(pool, user("gus"), T0.plusSeconds(1)));
        Thread.sleep(AzureFilesPoolShare.STALE_LEASE.toMillis() / 10);

        assertThat(waiting).isNotDone();
        file.setMetadataWithResponse(Map.of("still", "mine"), new ShareRequestConditions().setLeaseId(held), null,
                com.azure.core.util.Context.NONE);
        holder.releaseLease();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isInstanceOf(Onboarding.Outcome.Done.class);
        assertThat(manifestNames(local.share(pool))).contains("fay", "gus");
    }

    /** What the manifest protocol relies on, as Azure Files documents it, through the SDK. */
    @Test
    void theEmulatorsFilesKeepTheLeaseTableRangesNamesAndRenameAsTheServiceDoes() throws Exception {
        PoolName pool = readyPool();
        onboarding().add(pool, user("hal"), T0);
        ShareClient share = local.share(pool);
        ShareFileClient file = share.getFileClient(UserFolders.MANIFEST);
        ShareLeaseClient lease = new ShareLeaseClientBuilder().fileClient(file).buildClient();

        assertThatThrownBy(lease::breakLease).as("break on an available file")
                .isInstanceOfSatisfying(ShareStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(409));
        String id = lease.acquireLease();
        lease.breakLease();
        assertThatThrownBy(() -> file.setMetadataWithResponse(Map.of("a", "b"), new ShareRequestConditions()
                .setLeaseId(id), null, com.azure.core.util.Context.NONE)).as("a broken lease's id writes nothing")
                .isInstanceOfSatisfying(ShareStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(412));
        lease.releaseLease();

        ShareFileClient big = share.getFileClient(".pool/big");
        byte[] five = new byte[5 * 1024 * 1024];
        big.create(five.length);
        assertThatThrownBy(() -> big.uploadRange(new ByteArrayInputStream(five), five.length))
                .isInstanceOfSatisfying(ShareStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(413));

        assertThatThrownBy(() -> share.getDirectoryClient("users/COM3").create())
                .isInstanceOfSatisfying(ShareStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));

        ShareFileClient next = share.getFileClient(".pool/next");
        byte[] json = "{\"v\":1,\"users\":[]}".getBytes(StandardCharsets.UTF_8);
        next.create(json.length);
        next.uploadRange(new ByteArrayInputStream(json), json.length);
        String leased = lease.acquireLease();
        assertThatThrownBy(() -> next.rename(UserFolders.MANIFEST)).as("no replace without asking")
                .isInstanceOfSatisfying(ShareStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(409));
        assertThatThrownBy(() -> next.renameWithResponse(new ShareFileRenameOptions(UserFolders.MANIFEST)
                .setReplaceIfExists(true), null, com.azure.core.util.Context.NONE)).as("a leased destination")
                .isInstanceOfSatisfying(ShareStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(412));
        next.renameWithResponse(new ShareFileRenameOptions(UserFolders.MANIFEST).setReplaceIfExists(true)
                .setDestinationRequestConditions(new ShareRequestConditions().setLeaseId(leased)), null,
                com.azure.core.util.Context.NONE);
        assertThat(manifestNames(share)).isEmpty();
    }

    /**
     * #30: a directory's files keep their lease and metadata when it is renamed, and nothing of theirs stays under
     * the old name (the emulator once moved only the ETags).
     */
    @Test
    void aRenamedDirectorysFilesKeepTheirLeasesAndMetadataAndTheOldNamesKeepNothing() throws Exception {
        PoolName pool = readyPool();
        ShareClient share = local.share(pool);
        share.getDirectoryClient("old").create();
        ShareFileClient notes = share.getFileClient("old/notes");
        notes.create(4);
        notes.setMetadata(Map.of("owner", "jan"));
        String held = new ShareLeaseClientBuilder().fileClient(notes).buildClient().acquireLease();

        share.getDirectoryClient("old").rename("new");

        ShareFileClient moved = share.getFileClient("new/notes");
        assertThat(moved.getProperties().getMetadata()).containsEntry("owner", "jan");
        assertThat(moved.getProperties().getLeaseState().toString()).isEqualTo("leased");
        assertThatThrownBy(() -> moved.setMetadata(Map.of("owner", "mallory"))).as("the lease came along")
                .isInstanceOfSatisfying(ShareStorageException.class, e -> assertThat(e.getStatusCode()).isEqualTo(412));
        moved.setMetadataWithResponse(Map.of("owner", "jan2"), new ShareRequestConditions().setLeaseId(held), null,
                com.azure.core.util.Context.NONE);

        share.getDirectoryClient("old").create();
        ShareFileClient again = share.getFileClient("old/notes");
        again.create(4);
        assertThat(again.getProperties().getMetadata()).as("a new file under the old name is new").isEmpty();
        again.setMetadata(Map.of("fresh", "yes"));
        assertThat(again.getProperties().getLeaseState().toString()).isEqualTo("available");
    }

    /** Put Range takes 4 MiB; a manifest of a large pool with many keys is written in ranges and reads back whole. */
    @Test
    void aManifestOverFourMiBIsWrittenInRangesAndReadsBackWhole() throws Exception {
        PoolName pool = readyPool();
        onboarding().add(pool, user("ivy"), T0);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            keys.add(org.dsvmpools.testing.SshKeys.rsa2048());
        }
        List<org.dsvmpools.onboarding.Member> members = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            members.add(new org.dsvmpools.onboarding.Member(new LinuxUserName("member" + i), null, null, keys, null,
                    20001 + i, org.dsvmpools.onboarding.MemberState.Pending, T0, null));
        }
        AzureFilesPoolShare share = new AzureFilesPoolShare(local.emulator.armEndpoint(), () -> local.arm, CLOCK);
        org.dsvmpools.pool.AzureNames names = org.dsvmpools.pool.AzureNames.of(pool);
        org.dsvmpools.onboarding.ShareRef where = new org.dsvmpools.onboarding.ShareRef(names.resourceGroup(),
                names.storageAccount(), names.fileShare());

        share.rebuildManifest(where, members);

        long size = local.share(pool).getFileClient(UserFolders.MANIFEST).getProperties().getContentLength();
        assertThat(size).as("more than one Put Range").isGreaterThan(4L * 1024 * 1024);
        assertThat(manifestNames(local.share(pool))).hasSize(1500);
        assertThat(share.published(where)).hasSize(1500);
    }
}
