package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.file.share.ShareClient;
import com.azure.storage.file.share.ShareFileClient;
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
import java.util.function.UnaryOperator;
import org.dsvmpools.azure.AzureFilesPoolShare;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.azure.TableRosterStore;
import org.dsvmpools.kit.SamplePools;
import org.dsvmpools.onboarding.Member;
import org.dsvmpools.onboarding.MemberState;
import org.dsvmpools.onboarding.NewUser;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;
import org.junit.jupiter.api.Test;

/**
 * Onboarding with its production adapters: the roster in Azurite's tables, folders and the manifest on the
 * emulator's Azure Files share through the Files SDK, the share found through the ARM SDK.
 */
class OnboardingIT extends LocalCloudTest {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final java.time.Clock CLOCK = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
    private static int pools;
    private TablePoolRepository repository;
    private TableRosterStore roster;

    private PoolName readyPool() throws Exception {
        return readyPool(SamplePools::document);
    }

    /** A Ready pool deployed from the document made for its name, with tables of its own. */
    private PoolName readyPool(UnaryOperator<String> document) throws Exception {
        int n = ++pools;
        repository = new TablePoolRepository(local.storage.table("onboardpools" + n));
        roster = new TableRosterStore(local.storage.table("roster" + n));
        return DeployedPools.deploy(local, repository, "onboard-" + n, document.apply("onboard-" + n));
    }

    private Onboarding onboarding() {
        // The test's time for everything it drives: the roster's event times and the manifest's clock.
        return new Onboarding(repository, roster, new AzureFilesPoolShare(local.emulator.armEndpoint(),
                () -> local.arm, CLOCK), CLOCK);
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

    /**
     * #27 finding 8: ten keys of 4,096 characters are within the documented limits, but one table property holds
     * 32K characters: the roster's write answered 500 PropertyValueTooLarge, and Event Grid redelivered for a day.
     */
    @Test
    void aUserWithTenKeysOfTheLongestAllowedLengthIsOnboardedAndReadBack() throws Exception {
        PoolName pool = readyPool();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < org.dsvmpools.pool.SshPublicKey.MAX_PER_USER; i++) {
            String key = org.dsvmpools.testing.SshKeys.ed25519().replaceFirst(" [^ ]*$", " ");
            keys.add(key + ("k" + i + "-").repeat(2000).substring(0,
                    org.dsvmpools.pool.SshPublicKey.MAX_LENGTH - key.length()));
        }
        assertThat(keys).allSatisfy(key -> assertThat(key).hasSize(org.dsvmpools.pool.SshPublicKey.MAX_LENGTH));

        Onboarding.Outcome outcome = onboarding().add(pool, new NewUser(new LinuxUserName("keyring"), null, null,
                keys, null), T0.plusSeconds(1));

        assertThat(outcome).isInstanceOf(Onboarding.Outcome.Done.class);
        assertThat(roster.find(pool, new LinuxUserName("keyring")).orElseThrow().member().sshPublicKeys())
                .isEqualTo(keys);
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

    /**
     * A user added while Azure Files is down is Pending with the reason and the time of the next try, and the
     * recovery timer's retry makes them Ready minutes after the outage ends, not at the next daily run (#26).
     */
    @Test
    void aUserAddedWhileFilesIsDownIsTriedAgainSoonAndSaysWhyItWaits() throws Exception {
        PoolName pool = readyPool();
        org.dsvmpools.testing.MutableClock clock = new org.dsvmpools.testing.MutableClock(T0.plusSeconds(600));
        Onboarding onboarding = new Onboarding(repository, roster, new AzureFilesPoolShare(
                local.emulator.armEndpoint(), () -> local.arm, clock), clock);
        local.emulator.configureFaults("{\"rules\":[{\"match\":\"/pool-data\",\"kind\":\"unavailable\"}]}");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> onboarding.add(pool, user("olga"), T0))
                    .isInstanceOf(RuntimeException.class);
            assertThat(onboarding.retryPending(pool)).as("not due before its retry time").isEmpty();
        } finally {
            local.emulator.configureFaults("{}");
        }
        Member waiting = onboarding.members(pool).orElseThrow().stream()
                .filter(m -> m.name().value().equals("olga")).findFirst().orElseThrow();
        assertThat(waiting.state()).isEqualTo(MemberState.Pending);
        assertThat(waiting.attempt().failure()).contains("file share").doesNotContain("Status code");
        assertThat(waiting.attempt().retryAt()).isEqualTo(clock.instant().plusSeconds(60));
        JsonNode shown = org.dsvmpools.onboarding.MemberJson.write(waiting, false);
        assertThat(shown.path("pending").path("retryAt").asText()).isEqualTo(waiting.attempt().retryAt().toString());

        clock.advance(java.time.Duration.ofSeconds(61));
        List<String> retried = onboarding.retryPending(pool);

        assertThat(retried).singleElement().asString().contains("olga").contains("onboarded");
        assertThat(onboarding.members(pool).orElseThrow()).filteredOn(m -> m.name().value().equals("olga"))
                .singleElement().satisfies(m -> assertThat(m.state()).isEqualTo(MemberState.Ready));
        assertThat(roster.find(pool, new LinuxUserName("olga")).orElseThrow().member().attempt())
                .as("a retry that succeeded is not tried again").isNull();
        assertThat(onboarding.retryPending(pool)).isEmpty();
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
        assertThat(onboarding.members(pool).orElseThrow()).hasSize(200)
                .allSatisfy(member -> assertThat(member.state()).isEqualTo(MemberState.Ready));
    }

    @Test
    void twoAppInstancesTakingTurnsOnOneManifestKeepEachOthersEntries() throws Exception {
        PoolName pool = readyPool();
        // Each instance keeps the copy it wrote last and skips the read while the file's ETag is that write's.
        Onboarding first = onboarding();
        Onboarding second = onboarding();

        for (int i = 0; i < 6; i++) {
            (i % 2 == 0 ? first : second).add(pool, user(String.format("turn%d", i)), T0);
        }

        JsonNode users = manifest(local.share(pool)).path("users");
        List<String> names = new ArrayList<>();
        users.forEach(user -> names.add(user.path("name").asText()));
        assertThat(names).containsExactly("turn0", "turn1", "turn2", "turn3", "turn4", "turn5");
    }

    @Test
    void anInstanceThatFindsTheManifestBeingCreatedByAnotherWaitsForItInsteadOfEmptyingIt() throws Exception {
        PoolName pool = readyPool();
        ShareClient share = local.share(pool);
        // Another app instance won the creation (it made .pool) and has not made the file yet.
        share.getDirectoryClient(".pool").create();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Onboarding.Outcome> bob = thread.submit(() -> onboarding().add(pool, user("bob"), T0));
            Thread.sleep(500);
            byte[] written = "{\"v\":1,\"users\":[{\"name\":\"alice\",\"uid\":20001,\"state\":\"active\",\"changedAt\":\"2026-11-27T10:00:00Z\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            ShareFileClient file = share.getFileClient(".pool/users.json");
            file.create(written.length);
            file.uploadRange(new java.io.ByteArrayInputStream(written), written.length);

            assertThat(bob.get()).isInstanceOf(Onboarding.Outcome.Done.class);
        } finally {
            thread.shutdownNow();
        }

        List<String> names = new ArrayList<>();
        manifest(share).path("users").forEach(user -> names.add(user.path("name").asText()));
        assertThat(names).as("the other instance's entry is kept").containsExactly("alice", "bob");
    }

    @Test
    void anAdditionTimedToTheNanosecondIsADuplicateWhenItComesAgain() throws Exception {
        PoolName pool = readyPool();
        Onboarding onboarding = onboarding();
        Instant created = T0.plusNanos(858_716_712);

        assertThat(onboarding.add(pool, user("dana"), created)).isInstanceOf(Onboarding.Outcome.Done.class);
        local.emulator.fileRequests().clear();

        assertThat(onboarding.add(pool, user("dana"), created)).as("the table keeps 100 ns")
                .isInstanceOf(Onboarding.Outcome.Unchanged.class);
        assertThat(local.emulator.fileRequests().entries()).as("no folder or manifest write")
                .noneMatch(e -> e.method().equals("PUT"));
    }

    @Test
    void aBatchOfCreationsWithOneUserThatExistsStillCreatesTheOthers() throws Exception {
        PoolName pool = readyPool();
        Onboarding onboarding = onboarding();
        onboarding.add(pool, user("taken"), T0.plusSeconds(60));
        ExecutorService threads = Executors.newFixedThreadPool(16);
        List<Future<Onboarding.Outcome>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                String name = i % 10 == 0 ? "taken" : String.format("batch%02d", i);
                outcomes.add(threads.submit(() -> onboarding.add(pool, user(name), T0)));
            }
            for (int i = 0; i < outcomes.size(); i++) {
                assertThat(outcomes.get(i).get()).as("user " + i).isInstanceOf(i % 10 == 0
                        ? Onboarding.Outcome.Unchanged.class : Onboarding.Outcome.Done.class);
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(onboarding.members(pool).orElseThrow()).hasSize(37)
                .allSatisfy(member -> assertThat(member.state()).isEqualTo(MemberState.Ready));
        assertThat(roster.find(pool, new LinuxUserName("taken")).orElseThrow().member().changedAt())
                .as("the newer addition stays").isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aPoolWhoseRosterIsAGraphGroupFollowsItsMembersAndArchivesThoseWhoLeave() throws Exception {
        String group = "0f3a0c2e-1111-2222-3333-444455556666";
        PoolName pool = readyPool(name -> SamplePools.document(name)
                .replace("\"vmSize\"", "\"rosterGroupId\":\"" + group + "\",\"vmSize\""));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> members = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            members.add(json.createObjectNode().put("id", String.format("00000000-0000-0000-0000-%012d", i))
                    .put("mail", String.format("Member.%03d@contoso.example", i)).put("displayName", "Member " + i));
        }
        local.emulator.setGroupMembers(group, members);
        org.dsvmpools.onboarding.RosterSync sync = new org.dsvmpools.onboarding.RosterSync(repository, roster,
                new org.dsvmpools.azure.GraphGroupMembers(local.emulator.graphEndpoint(), () -> local.arm),
                new org.dsvmpools.azure.TableDeltaLinks(local.storage.table("rosterdelta" + pools)), onboarding());

        sync.groupChanged(group, T0);

        assertThat(onboarding().members(pool).orElseThrow()).hasSize(150)
                .allSatisfy(m -> assertThat(m.state()).isEqualTo(MemberState.Ready));
        assertThat(roster.find(pool, new LinuxUserName("member-007")).orElseThrow().member().entraObjectId())
                .isEqualTo("00000000-0000-0000-0000-000000000007");

        List<JsonNode> changed = new ArrayList<>(members.subList(1, 150));
        changed.add(json.createObjectNode().put("id", "00000000-0000-0000-0000-000000000999")
                .put("mail", "new.member@contoso.example").put("displayName", "New"));
        local.emulator.setGroupMembers(group, changed);
        List<org.dsvmpools.onboarding.RosterSync.Report> reports = sync.groupChanged(group, T0.plusSeconds(3600));

        assertThat(reports).singleElement().satisfies(r -> assertThat(r.changes()).as("the delta, not the 150")
                .containsExactlyInAnyOrder("member-000 Removed", "new-member Ready"));
        local.emulator.setGroupMembers(group, changed.subList(1, changed.size()));
        assertThat(sync.reconcileAll(T0.plusSeconds(7200))).filteredOn(r -> r.pool().equals(pool.value()))
                .singleElement().satisfies(r -> assertThat(r.changes())
                .as("the daily full read").containsExactly("member-001 Removed"));
        ShareClient share = local.share(pool);
        assertThat(share.getDirectoryClient("users/member-000").exists()).isFalse();
        assertThat(share.getDirectoryClient("archive/member-000-20261127T110000Z/notebooks").exists()).isTrue();
        assertThat(share.getDirectoryClient("users/new-member/notebooks").exists()).isTrue();
    }
}
