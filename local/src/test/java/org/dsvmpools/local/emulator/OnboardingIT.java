package org.dsvmpools.local.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.file.share.ShareClient;
import com.azure.storage.file.share.models.ShareFileItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dsvmpools.azure.AzureFilesPoolShare;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.azure.TableRosterStore;
import org.dsvmpools.onboarding.Member;
import org.dsvmpools.onboarding.MemberState;
import org.dsvmpools.onboarding.NewUser;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Onboarding with its production adapters: the roster in Azurite's tables, folders and the manifest on the
 * emulator's Azure Files share through the Files SDK, the share found through the ARM SDK.
 */
class OnboardingIT {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static LocalCloud local;
    private static int pools;
    private TablePoolRepository repository;
    private TableRosterStore roster;

    @BeforeAll
    static void start() throws Exception {
        local = LocalCloud.start();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    private PoolName readyPool() throws Exception {
        int n = ++pools;
        repository = new TablePoolRepository(local.storage.table("onboardpools" + n));
        roster = new TableRosterStore(local.storage.table("roster" + n));
        return DeployedPools.deploy(local, repository, "onboard-" + n);
    }

    private Onboarding onboarding() {
        return new Onboarding(repository, roster, new AzureFilesPoolShare(() -> local.arm));
    }

    private static JsonNode manifest(ShareClient share) throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        share.getFileClient(".pool/users.json").download(out);
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> names(ShareClient share, String directory) {
        List<String> names = new ArrayList<>();
        for (ShareFileItem item : share.getDirectoryClient(directory).listFilesAndDirectories()) {
            names.add(item.getName());
        }
        return names;
    }

    private static NewUser user(String name) {
        return new NewUser(new LinuxUserName(name), name + "@example.org", name, List.of(), null);
    }

    @Test
    void anAddedUsersFolderAppearsOnTheShareAndInTheManifestAndRemovalArchivesIt() throws Exception {
        PoolName pool = readyPool();
        ShareClient share = local.share(pool);

        Member added = ((Onboarding.Outcome.Done) onboarding().add(pool, user("alice"), T0)).member();

        assertThat(added.state()).isEqualTo(MemberState.Ready);
        assertThat(share.getDirectoryClient("users/alice/notebooks").exists()).isTrue();
        assertThat(manifest(share).path("users").get(0).path("name").asText()).isEqualTo("alice");

        Member removed = ((Onboarding.Outcome.Done) onboarding().remove(pool, new LinuxUserName("alice"),
                T0.plusSeconds(60))).member();

        assertThat(removed.archive()).isEqualTo("archive/alice-20261127T100100Z");
        assertThat(share.getDirectoryClient("users/alice").exists()).isFalse();
        assertThat(share.getDirectoryClient("archive/alice-20261127T100100Z/notebooks").exists())
                .as("the data is kept").isTrue();
        assertThat(manifest(share).path("users").get(0).path("state").asText()).isEqualTo("removed");
    }

    @Test
    void twoHundredConcurrentOnboardingsEndWithEveryUserInTheManifestAndEachFolderMadeOnce() throws Exception {
        PoolName pool = readyPool();
        ShareClient share = local.share(pool);
        Onboarding onboarding = onboarding();
        local.emulator.fileRequests().clear();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<Future<Onboarding.Outcome>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                String name = String.format("user%03d", i);
                outcomes.add(threads.submit(() -> onboarding.add(pool, user(name), T0)));
            }
            for (Future<Onboarding.Outcome> outcome : outcomes) {
                assertThat(outcome.get()).isInstanceOf(Onboarding.Outcome.Done.class);
            }
        } finally {
            threads.shutdownNow();
        }

        JsonNode users = manifest(share).path("users");
        assertThat(users).hasSize(200);
        List<Integer> uids = new ArrayList<>();
        users.forEach(user -> uids.add(user.path("uid").asInt()));
        assertThat(uids).doesNotHaveDuplicates();
        assertThat(names(share, "users")).hasSize(200);
        assertThat(local.emulator.fileRequests().entries()).filteredOn(e -> e.method().equals("PUT")
                && e.path().contains("notebooks?restype=directory")).hasSize(200);
        assertThat(roster.list(pool)).allSatisfy(member -> assertThat(member.state()).isEqualTo(MemberState.Ready));
    }
}
