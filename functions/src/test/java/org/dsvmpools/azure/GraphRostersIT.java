package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dsvmpools.kit.SamplePools;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.onboarding.GroupMembers;
import org.dsvmpools.onboarding.GroupSubscriptions;
import org.dsvmpools.onboarding.MemberState;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.onboarding.RosterEventDispatch;
import org.dsvmpools.onboarding.RosterEvents;
import org.dsvmpools.onboarding.RosterSync;
import org.dsvmpools.onboarding.SubscriptionKeeper;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rosters from Entra groups against the emulator's Graph, which answers as Microsoft Graph does: permissions per
 * endpoint, members of every kind, delta links that expire, throttling. Each of issue #17's findings is a test
 * through the production adapter and the roster's use case.
 */
class GraphRostersIT extends LocalCloudTest {
    /** An hour ago: the emulator this test drives reads the shared clock, so the test's times stay near it (#26). */
    private static final Instant T0 = SystemClock.now().minus(Duration.ofHours(1))
            .truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    private static final java.time.Clock CLOCK = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static int pools;
    private TablePoolRepository repository;
    private TableRosterStore roster;
    private TableDeltaLinks links;

    @AfterEach
    void graphAsDocumented() throws Exception {
        local.emulator.setGraphRoles(Set.copyOf(GraphGroupMembers.PERMISSIONS));
        local.emulator.setGraphDeltaLinkAge(Duration.ofDays(7));
        local.emulator.configureFaults("{}");
    }

    /** A Ready pool following {@code group}; the pools of one test share their tables. */
    private PoolName poolFollowing(String group) throws Exception {
        int n = ++pools;
        if (repository == null) {
            repository = new TablePoolRepository(local.storage.table("graphpools" + n));
            roster = new TableRosterStore(local.storage.table("graphroster" + n));
            links = new TableDeltaLinks(local.storage.table("graphdelta" + n));
        }
        return DeployedPools.deploy(local, repository, "graph-" + n, SamplePools.document("graph-" + n)
                .replace("\"vmSize\"", "\"rosterGroupId\":\"" + group + "\",\"vmSize\""));
    }

    private Onboarding onboarding() {
        // The test's time for everything it drives: the roster's event times and the manifest's clock.
        return new Onboarding(repository, roster, new AzureFilesPoolShare(local.emulator.armEndpoint(),
                () -> local.arm, CLOCK), CLOCK);
    }

    private static final String PARTNER_TOPIC = "EventGrid:?azuresubscriptionid=00000000-0000-0000-0000-0000000000aa"
            + "&resourcegroup=dsvmpools&partnertopic=dsvmpools-graph&location=westeurope";

    private final List<Duration> waits = new ArrayList<>();

    private RosterSync sync() {
        return new RosterSync(repository, roster, graph(), links, onboarding(), new SubscriptionKeeper(
                subscriptions()), waits::add);
    }

    private static GraphGroupSubscriptions subscriptions() {
        return new GraphGroupSubscriptions(local.emulator.graphEndpoint(), PARTNER_TOPIC, () -> local.arm);
    }

    private static List<JsonNode> subscriptionsOn(String group) {
        return local.emulator.graphSubscriptions().stream()
                .filter(s -> s.path("resource").asText().equals("groups/" + group)).toList();
    }

    private static GraphGroupMembers graph() {
        return new GraphGroupMembers(local.emulator.graphEndpoint(), () -> local.arm);
    }

    private static String id(int n) {
        return String.format("00000000-0000-0000-0000-%012d", n);
    }

    private static ObjectNode user(int n, String mail) {
        return JSON.createObjectNode().put("id", id(n)).put("mail", mail).put("displayName", "User " + n);
    }

    private MemberState state(PoolName pool, String name) {
        return roster.find(pool, new LinuxUserName(name)).orElseThrow().member().state();
    }

    @Test
    void withTheDocumentedPermissionsEveryKindOfUserIsOnboardedAndWithoutUserReadNoNameCanBeDerived()
            throws Exception {
        String group = "1a000000-0000-0000-0000-000000000001";
        PoolName pool = poolFollowing(group);
        List<JsonNode> members = List.of(user(1, "ann@contoso.example"),
                JSON.createObjectNode().put("id", id(2)).put("userPrincipalName", "bo@contoso.example"),
                JSON.createObjectNode().put("id", id(3)).put("userPrincipalName",
                        "cy_partner.example#EXT#@contoso.onmicrosoft.com"),
                JSON.createObjectNode().put("@odata.type", "#microsoft.graph.servicePrincipal").put("id", id(4)),
                JSON.createObjectNode().put("@odata.type", "#microsoft.graph.device").put("id", id(5)));
        local.emulator.setGroupMembers(group, members);

        List<RosterSync.Report> reports = sync().groupChanged(group, T0);

        assertThat(reports).singleElement().satisfies(r -> assertThat(r.changes()).containsExactlyInAnyOrder(
                "ann Ready", "bo Ready", "cy Ready"));

        local.emulator.setGraphRoles(Set.of("GroupMember.Read.All"));
        local.emulator.setGroupMembers(group, List.of(user(6, "dee@contoso.example")));
        RosterSync.Report withoutUserRead = sync().reconcileAll(T0.plusSeconds(60)).stream()
                .filter(report -> !report.pool().equals(RosterSync.SUBSCRIPTIONS)).findFirst().orElseThrow();
        assertThat(withoutUserRead.changes()).as("members come back as ids only")
                .anyMatch(change -> change.contains(id(6)) && change.contains("no user name can be derived"));
    }

    @Test
    void theLookupsTheAppMakesNeedNoMoreThanTheDocumentedPermissionsWhileGetByIdsWouldNeedDirectoryReadAll()
            throws Exception {
        String group = "1a000000-0000-0000-0000-000000000002";
        local.emulator.setGroupMembers(group, List.of(user(11, "eve@contoso.example")));
        String link = graph().latestLink(group);
        local.emulator.setGroupMembers(group, List.of(user(11, "eve@contoso.example"), user(12, "fay@contoso.example")));

        GroupMembers.Delta delta = graph().changes(group, link);

        assertThat(delta.complete()).isFalse();
        assertThat(delta.added()).extracting(GroupMembers.Member::email).containsExactly("fay@contoso.example");
        var http = java.net.http.HttpClient.newBuilder().sslContext(local.trust()).build();
        var byIds = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                local.emulator.graphEndpoint() + "/v1.0/directoryObjects/getByIds"))
                .header("Authorization", "Bearer " + local.emulator.controlPlaneToken("https://graph.microsoft.com")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"ids\":[\"" + id(12) + "\"]}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(byIds.statusCode()).isEqualTo(403);
        assertThat(byIds.body()).contains("Authorization_RequestDenied");
    }

    @Test
    void anExpiredDeltaLinkFallsBackToAFullReadAndANewLinkIsStored() throws Exception {
        String group = "1a000000-0000-0000-0000-000000000003";
        PoolName pool = poolFollowing(group);
        local.emulator.setGroupMembers(group, List.of(user(21, "gil@contoso.example"), user(22, "hal@contoso.example")));
        sync().groupChanged(group, T0);
        String firstLink = links.find(group).orElseThrow();

        local.emulator.setGroupMembers(group, List.of(user(22, "hal@contoso.example"), user(23, "ivy@contoso.example")));
        local.emulator.setGraphDeltaLinkAge(Duration.ZERO);
        Thread.sleep(5);
        List<RosterSync.Report> afterExpiry = sync().groupChanged(group, T0.plusSeconds(60));

        assertThat(afterExpiry.get(0).changes()).containsExactlyInAnyOrder("gil Removed", "ivy Ready");
        assertThat(links.find(group).orElseThrow()).isNotEqualTo(firstLink);
        local.emulator.setGraphDeltaLinkAge(Duration.ofDays(7));
        local.emulator.setGroupMembers(group, List.of(user(23, "ivy@contoso.example")));
        assertThat(sync().groupChanged(group, T0.plusSeconds(120)).get(0).changes()).as("incremental again")
                .containsExactly("hal Removed");
        assertThat(state(pool, "ivy")).isEqualTo(MemberState.Pending);
    }

    @Test
    void membersOfNestedGroupsCountAndANestedGroupAddedMakesAFullRead() throws Exception {
        String parent = "1a000000-0000-0000-0000-000000000004";
        String child = "1a000000-0000-0000-0000-000000000005";
        String late = "1a000000-0000-0000-0000-000000000006";
        PoolName pool = poolFollowing(parent);
        local.emulator.setGroupMembers(child, List.of(user(32, "kim@contoso.example")));
        local.emulator.setGroupMembers(late, List.of(user(33, "lea@contoso.example")));
        ObjectNode nested = JSON.createObjectNode().put("@odata.type", "#microsoft.graph.group").put("id", child);
        local.emulator.setGroupMembers(parent, List.of(user(31, "jo@contoso.example"), nested));

        assertThat(sync().groupChanged(parent, T0).get(0).changes()).containsExactlyInAnyOrder("jo Ready",
                "kim Ready");

        local.emulator.setGroupMembers(parent, List.of(user(31, "jo@contoso.example"), nested,
                JSON.createObjectNode().put("@odata.type", "#microsoft.graph.group").put("id", late)));
        assertThat(sync().groupChanged(parent, T0.plusSeconds(60)).get(0).changes()).containsExactly("lea Ready");
        assertThat(state(pool, "kim")).isIn(MemberState.Ready, MemberState.Pending);
    }

    @Test
    void aNewPoolFollowingAGroupAnotherPoolFollowsGetsEveryMemberWhenItBecomesReady() throws Exception {
        String group = "1a000000-0000-0000-0000-000000000007";
        poolFollowing(group);
        local.emulator.setGroupMembers(group, List.of(user(41, "max@contoso.example"), user(42, "ned@contoso.example")));
        sync().groupChanged(group, T0);

        PoolName second = poolFollowing(group);
        RosterSync.Report ready = sync().poolReady(second, T0.plusSeconds(60));

        assertThat(ready.changes()).contains("max Ready", "ned Ready")
                .anyMatch(change -> change.startsWith("subscription ") && change.contains(group));
        assertThat(state(second, "max")).isNotEqualTo(MemberState.Removed);
    }

    @Test
    void throttlingIsWaitedOutAndAGroupThatStaysDownLeavesTheOtherPoolsReconciled() throws Exception {
        String slow = "1a000000-0000-0000-0000-000000000008";
        String down = "1a000000-0000-0000-0000-000000000009";
        PoolName first = poolFollowing(slow);
        PoolName second = poolFollowing(down);
        local.emulator.setGroupMembers(slow, List.of(user(51, "oz@contoso.example")));
        local.emulator.setGroupMembers(down, List.of(user(52, "pia@contoso.example")));
        local.emulator.configureFaults("{\"rules\":[{\"match\":\"" + slow + "/transitiveMembers\",\"kind\":\"throttle\","
                + "\"retryAfterSeconds\":1,\"count\":2},{\"match\":\"" + down + "/transitiveMembers\","
                + "\"kind\":\"unavailable\",\"retryAfterSeconds\":1}]}");

        List<RosterSync.Report> reports = sync().reconcileAll(T0);

        assertThat(reports).filteredOn(r -> r.pool().equals(first.value())).singleElement()
                .satisfies(r -> assertThat(r.changes()).containsExactly("oz Ready"));
        assertThat(reports).filteredOn(r -> r.pool().equals(second.value())).singleElement()
                .satisfies(r -> assertThat(r.changes()).singleElement().asString().contains("503")
                        .contains("roster left as it is"));
        assertThat(roster.find(second, new LinuxUserName("pia"))).isEmpty();
    }

    /**
     * The daily run keeps subscriptions first, and one group's refused create does not stop the next (#26): a run
     * its timeout cuts off among the pools has renewed every subscription already.
     */
    @Test
    void theDailyRunKeepsSubscriptionsFirstAndOneRefusedCreateStopsNoOther() throws Exception {
        String one = "1a000000-0000-0000-0000-000000000020";
        String two = "1a000000-0000-0000-0000-000000000021";
        poolFollowing(one);
        poolFollowing(two);
        local.emulator.setGroupMembers(one, List.of());
        local.emulator.setGroupMembers(two, List.of());
        local.emulator.configureFaults("{\"rules\":[{\"method\":\"POST\",\"match\":\"/v1.0/subscriptions\","
                + "\"kind\":\"error\",\"status\":400,\"code\":\"InvalidRequest\",\"count\":1}]}");
        try {
            List<RosterSync.Report> reports = sync().reconcileAll(SystemClock.now());

            assertThat(reports.get(0).pool()).as("subscriptions first").isEqualTo(RosterSync.SUBSCRIPTIONS);
            assertThat(reports.get(0).changes()).anySatisfy(line -> assertThat(line).contains("not kept")
                    .contains("the next run tries again"));
            assertThat(reports.get(0).changes()).as("the first create was refused; the ones after it were made")
                    .anySatisfy(line -> assertThat(line).contains(" made, until"));
        } finally {
            local.emulator.configureFaults("{}");
        }
        sync().reconcileAll(SystemClock.now());
        assertThat(subscriptionsOn(one)).as("the next run makes the one refused").hasSize(1);
        assertThat(subscriptionsOn(two)).hasSize(1);
    }

    @Test
    void theAppKeepsOneSubscriptionPerFollowedGroupRenewsItAWeekAheadAndDropsOnesNobodyFollows() throws Exception {
        String group = "1a000000-0000-0000-0000-000000000010";
        String unfollowed = "1a000000-0000-0000-0000-000000000011";
        poolFollowing(group);
        local.emulator.setGroupMembers(group, List.of(user(61, "quinn@contoso.example")));
        local.emulator.setGroupMembers(unfollowed, List.of());
        GroupSubscriptions.Subscription stray = subscriptions().create(unfollowed,
                SystemClock.now().plus(Duration.ofDays(3)));
        Instant now = SystemClock.now();

        sync().reconcileAll(now);

        assertThat(subscriptionsOn(group)).singleElement().satisfies(made -> {
            assertThat(made.path("notificationUrl").asText()).isEqualTo(PARTNER_TOPIC);
            assertThat(made.path("lifecycleNotificationUrl").asText()).isEqualTo(PARTNER_TOPIC);
            assertThat(Instant.parse(made.path("expirationDateTime").asText()))
                    .isBetween(now.plus(Duration.ofDays(28)), now.plus(Duration.ofMinutes(41_760)));
        });
        assertThat(local.emulator.graphSubscriptions()).noneMatch(s -> s.path("id").asText().equals(stray.id()));

        String deploying = "1a000000-0000-0000-0000-000000000016";
        local.emulator.setGroupMembers(deploying, List.of());
        new org.dsvmpools.pool.PoolIntake(repository, (item, delay) -> { }, SystemClock.utc()).submit(
                org.dsvmpools.pool.PoolSpecJson.read(JSON.readTree(SamplePools.document("graph-deploying")
                        .replace("\"vmSize\"", "\"rosterGroupId\":\"" + deploying + "\",\"vmSize\""))).spec(),
                new org.dsvmpools.pool.Caller("a", "A", Set.of()));
        sync().reconcileAll(now);
        assertThat(subscriptionsOn(deploying)).as("a pool being deployed keeps its group's subscription").hasSize(1);

        String id = subscriptionsOn(group).get(0).path("id").asText();
        subscriptions().renew(id, now.plus(Duration.ofDays(2)));
        sync().reconcileAll(now);
        assertThat(Instant.parse(subscriptionsOn(group).get(0).path("expirationDateTime").asText()))
                .as("renewed, since it would lapse within a week").isAfter(now.plus(Duration.ofDays(28)));
        assertThat(subscriptionsOn(group)).as("still one").hasSize(1);
    }

    @Test
    void graphRefusesASubscriptionLongerThan41760MinutesAndTheReasonIsNamed() {
        String group = "1a000000-0000-0000-0000-000000000012";
        local.emulator.setGroupMembers(group, List.of());

        assertThatThrownBy(() -> subscriptions().create(group, SystemClock.now().plus(Duration.ofDays(30))))
                .isInstanceOf(GroupMembers.GraphException.class).hasMessageContaining("400")
                .hasMessageContaining("ExtensionError");
        local.emulator.setGraphRoles(Set.of("GroupMember.Read.All", "User.Read.All"));
        assertThatThrownBy(() -> subscriptions().create(group, SystemClock.now().plus(Duration.ofDays(1))))
                .as("a subscription on groups needs Group.Read.All").hasMessageContaining("403")
                .hasMessageContaining("Group.Read.All");
    }

    @Test
    void graphsNoticeOfMissedChangesMakesAFullReadThroughTheEventTrigger() throws Exception {
        String group = "1a000000-0000-0000-0000-000000000013";
        PoolName pool = poolFollowing(group);
        local.emulator.setGroupMembers(group, List.of(user(71, "rae@contoso.example")));
        sync().groupChanged(group, T0);
        local.emulator.setGroupMembers(group, List.of(user(72, "sol@contoso.example")));
        String notice = "{\"specversion\":\"1.0\",\"id\":\"n1\",\"type\":"
                + "\"Microsoft.Graph.SubscriptionReauthorizationRequired\",\"time\":\"" + T0.plus(Duration.ofHours(1))
                + "\","
                + "\"data\":{\"subscriptionId\":\"s-1\",\"lifecycleEvent\":\"missed\",\"resource\":\"groups/"
                + group + "\"}}";

        String handled = new RosterEventDispatch(onboarding(), sync()).handle(RosterEvents.read(notice, SystemClock.now()));

        assertThat(handled).contains("missed").contains("rae Removed").contains("sol Ready");
        assertThat(state(pool, "sol")).isNotEqualTo(MemberState.Removed);
    }

    /** Fidelity the tests above rely on: delta pages, Graph's limits, and what it says when refused. */
    @Test
    void theEmulatorPagesDeltaAndRefusesWhatGraphRefuses() throws Exception {
        String group = "1a000000-0000-0000-0000-000000000014";
        local.emulator.setGroupMembers(group, List.of());
        String link = graph().latestLink(group);
        List<JsonNode> many = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            many.add(user(100 + i, "u" + i + "@contoso.example"));
        }
        local.emulator.setGroupMembers(group, many);

        GroupMembers.Delta delta = graph().changes(group, link);

        assertThat(delta.added()).as("two pages of changes, four lookups of 15").hasSize(60);
        var http = java.net.http.HttpClient.newBuilder().sslContext(local.trust()).build();
        StringBuilder sixteen = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sixteen.append(i == 0 ? "" : ",").append("'").append(id(100 + i)).append("'");
        }
        var tooMany = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                local.emulator.graphEndpoint() + "/v1.0/users?$filter=" + java.net.URLEncoder.encode("id in ("
                        + sixteen + ")", java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")))
                .header("Authorization", "Bearer " + local.emulator.controlPlaneToken("https://graph.microsoft.com")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(tooMany.statusCode()).isEqualTo(400);
        local.emulator.setGraphRoles(Set.of("Group.Read.All"));
        assertThatThrownBy(() -> graph().changes(group, link)).isInstanceOf(GroupMembers.GraphException.class)
                .hasMessageContaining("403").hasMessageContaining("User.Read.All");
    }

    /** The share's role is made with the pool and takes minutes: a new pool's onboarding waits for it. */
    @Test
    void aNewPoolsOnboardingWaitsWhileTheShareStillRefusesTheApp() throws Exception {
        String group = "1a000000-0000-0000-0000-000000000015";
        PoolName pool = poolFollowing(group);
        local.emulator.setGroupMembers(group, List.of(user(81, "una@contoso.example")));
        local.emulator.configureFaults("{\"rules\":[{\"match\":\"/pool-data/\",\"kind\":\"error\",\"status\":403,"
                + "\"code\":\"AuthorizationPermissionMismatch\",\"count\":2}]}");

        RosterSync.Report ready = sync().poolReady(pool, T0);

        assertThat(ready.changes()).contains("una Ready");
        assertThat(waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }
}
