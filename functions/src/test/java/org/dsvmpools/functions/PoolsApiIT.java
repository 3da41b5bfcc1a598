package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.dsvmpools.azure.StorageClients;
import org.dsvmpools.azure.StorageQueueWorkQueue;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.kit.FunctionHttpRequest;
import org.dsvmpools.kit.InvocationContext;
import org.dsvmpools.testing.Azurite;
import org.dsvmpools.testing.MutableClock;
import org.dsvmpools.testing.OpenApiContract;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.dsvmpools.testing.Requests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pools API through the real function classes and the real Storage adapters, against Azurite: every record
 * and message checked here was read back through the Azure SDK.
 */
class PoolsApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OID = "0b6c2d4e-1111-2222-3333-444455556666";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
    private String table;
    private StorageClients storage;
    private QueueClient queue;
    private App app;

    @BeforeEach
    void freshTableAndEmptyQueue() {
        table = "pools" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        storage = new StorageClients(Azurite.shared().connectionString());
        queue = storage.queue(StorageQueueWorkQueue.POOL_REQUESTS);
        queue.createIfNotExists();
        queue.clearMessages();
        app = App.fromSettings(settings(Azurite.shared().connectionString()), clock);
        OpenApiContract.Recorded.drain();
    }

    private Settings settings(String connectionString) {
        return new Settings(Map.of(
                Settings.STORAGE_CONNECTION, connectionString,
                Settings.POOL_TABLE, table,
                Settings.PLATFORM_AUTH_ENABLED, "True"));
    }

    /** Every response these tests got is one docs/openapi.json documents for its call. */
    @AfterEach
    void everyResponseIsAsTheOpenApiDocumentSays() {
        assertThat(OpenApiContract.get().violations(OpenApiContract.Recorded.drain())).isEmpty();
    }

    @Test
    void aPoolRequestIsStoredQueuedAndVisible() throws Exception {
        var response = post(PoolDocumentsFixture.document("ml-team"));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(response.getHeader("Location")).isEqualTo("/api/pools/ml-team");
        assertThat(body(response).path("status").asText()).isEqualTo("Accepted");

        List<JsonNode> messages = drainMessages();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0)).isEqualTo(JSON.readTree(
                "{\"v\":1,\"kind\":\"provision\",\"pool\":\"ml-team\",\"generation\":1}"));

        var got = new GetPoolFunction(app).run(Requests.get("/api/pools/ml-team"), "ml-team");
        JsonNode pool = body(got);
        assertThat(got.getStatusCode()).isEqualTo(200);
        assertThat(pool.path("status").asText()).isEqualTo("Accepted");
        assertThat(pool.path("spec").path("vmSize").asText()).isEqualTo("Standard_D4s_v5");
        assertThat(pool.path("createdAt").asText()).isEqualTo("2026-11-27T08:00:00Z");
        assertThat(pool.path("owner").path("id").asText()).isEqualTo("function-key");
        assertThat(pool.path("events")).hasSize(1);
        assertThat(pool.path("events").get(0).path("status").asText()).isEqualTo("Accepted");
        assertThat(pool.path("events").get(0).path("source").asText()).isEqualTo("requester");
        assertThat(pool.path("events").get(0).path("kind").asText()).isEqualTo("state");
    }

    @Test
    void theQueueMessageIsBase64AsTheQueueTriggerExpects() {
        post(PoolDocumentsFixture.document("ml-team"));

        QueueClient raw = new com.azure.storage.queue.QueueClientBuilder()
                .connectionString(Azurite.shared().connectionString())
                .queueName(StorageQueueWorkQueue.POOL_REQUESTS)
                .httpClient(new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder().build())
                .buildClient();
        String wire = raw.peekMessage().getBody().toString();

        assertThat(new String(java.util.Base64.getDecoder().decode(wire))).contains("\"kind\":\"provision\"");
    }

    @Test
    void aRetryOfTheSameRequestIs200AndAnotherSpecIs409() {
        post(PoolDocumentsFixture.document("ml-team"));

        var retry = post(PoolDocumentsFixture.document("ml-team"));
        var other = post(PoolDocumentsFixture.document("ml-team").put("vmSize", "Standard_D8s_v5"));

        assertThat(retry.getStatusCode()).isEqualTo(200);
        assertThat(other.getStatusCode()).isEqualTo(409);
        assertThat(other.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(drainMessages()).hasSize(1);
    }

    @Test
    void anInvalidRequestIs400WithEveryFieldAndStoresAndQueuesNothing() {
        ObjectNode document = PoolDocumentsFixture.document("ml-team");
        document.put("location", "atlantis");
        ((ObjectNode) document.get("capacity")).put("max", 500);

        var response = post(document);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
        JsonNode problem = body(response);
        assertThat(problem.path("errors").findValuesAsText("pointer")).containsExactlyInAnyOrder(
                "/location", "/capacity/max");
        assertThat(problem.path("instance").asText()).isEqualTo("/api/pools");
        assertThat(new GetPoolFunction(app).run(Requests.get("/api/pools/ml-team"), "ml-team")
                .getStatusCode()).isEqualTo(404);
        assertThat(drainMessages()).isEmpty();
    }

    @Test
    void contentTypeAndSizeAreCheckedBeforeAnythingElse() {
        var text = Requests.postJson("/api/pools", "{}").withHeader("Content-Type", "text/plain");
        String huge = PoolDocumentsFixture.document("ml-team").put("pad", "x".repeat(70_000)).toString();

        assertThat(create(text).getStatusCode()).isEqualTo(415);
        assertThat(create(Requests.postJson("/api/pools", huge)).getStatusCode()).isEqualTo(413);
        assertThat(create(Requests.postJson("/api/pools", "{oops")).getStatusCode()).isEqualTo(400);
        assertThat(drainMessages()).isEmpty();
    }

    @Test
    void theUsersAndWakeEndpointsCheckContentTypeAndSizeAsThePoolEndpointsDo() {
        post(PoolDocumentsFixture.document("ml-team"));
        String huge = "{\"seats\": 1, \"pad\": \"" + "x".repeat(70_000) + "\"}";
        var users = new AddPoolUserFunction(app);

        assertThat(new WakePoolFunction(app).run(Requests.postJson("/api/pools/ml-team/wake", "{\"seats\": 1}")
                .withHeader("Content-Type", "text/plain"), "ml-team", new InvocationContext("WakePool"))
                .getStatusCode()).isEqualTo(415);
        assertThat(wake("ml-team", huge).getStatusCode()).isEqualTo(413);
        assertThat(wake("ml-team", "{\"seats\": 1, \"seats\": 2}").getStatusCode())
                .as("duplicate keys are malformed JSON").isEqualTo(400);
        assertThat(users.run(Requests.postJson("/api/pools/ml-team/users", "{\"email\":\"a@b.example\"}")
                .withHeader("Content-Type", "text/plain"), "ml-team").getStatusCode()).isEqualTo(415);
        assertThat(users.run(Requests.postJson("/api/pools/ml-team/users", huge), "ml-team")
                .getStatusCode()).isEqualTo(413);
        var malformed = users.run(Requests.postJson("/api/pools/ml-team/users", "{oops"), "ml-team");
        assertThat(malformed.getStatusCode()).isEqualTo(400);
        assertThat(malformed.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void poolsAreListedInPagesFollowingNextLink() {
        for (String name : List.of("team-c", "team-a", "team-e", "team-b", "team-d")) {
            post(PoolDocumentsFixture.document(name));
        }

        List<String> names = new ArrayList<>();
        String link = "/api/pools?maxPageSize=2";
        for (int pages = 0; link != null && pages < 10; pages++) {
            JsonNode page = body(new ListPoolsFunction(app).run(Requests.get(link)));
            page.path("value").forEach(pool -> names.add(pool.path("name").asText()));
            link = page.hasNonNull("nextLink") ? page.path("nextLink").asText() : null;
            if (link != null) {
                assertThat(link).as("absolute, as the caller reached the app").startsWith("http://127.0.0.1:7071/api/pools?");
                link = link.substring("http://127.0.0.1:7071".length());
            }
        }

        assertThat(names).containsExactly("team-a", "team-b", "team-c", "team-d", "team-e");
        assertThat(new ListPoolsFunction(app).run(Requests.get("/api/pools?maxPageSize=0"))
                .getStatusCode()).isEqualTo(400);
        assertThat(new ListPoolsFunction(app).run(Requests.get("/api/pools?continuationToken=bogus"))
                .getStatusCode()).isEqualTo(400);
    }

    /** #30: a Deleted pool's record stays (its name is held), but a listing shows it only when asked. */
    @Test
    void deletedPoolsAreListedOnlyWhenAskedForAndAStatusFilterIsKeptInNextLink() {
        for (String name : List.of("team-a", "team-b", "team-c")) {
            post(PoolDocumentsFixture.document(name));
        }
        var records = new TablePoolRepository(storage.table(table));
        var stored = records.find(new org.dsvmpools.pool.PoolName("team-b")).orElseThrow();
        records.replace(stored, stored.pool().requestTeardown(false, org.dsvmpools.pool.Caller.FUNCTION_KEY, clock.instant())
                .moveTo(org.dsvmpools.pool.PoolStatus.Deleted, "deleted", clock.instant()));

        assertThat(names(body(new ListPoolsFunction(app).run(Requests.get("/api/pools")))))
                .containsExactly("team-a", "team-c");
        assertThat(names(body(new ListPoolsFunction(app).run(Requests.get("/api/pools?status=deleted")))))
                .containsExactly("team-b");
        assertThat(names(body(new ListPoolsFunction(app).run(Requests.get("/api/pools?status=all")))))
                .containsExactly("team-a", "team-b", "team-c");
        JsonNode first = body(new ListPoolsFunction(app).run(Requests.get("/api/pools?status=Accepted,Deleted&maxPageSize=1")));
        assertThat(first.path("nextLink").asText()).contains("status=Accepted%2CDeleted");
        var refused = new ListPoolsFunction(app).run(Requests.get("/api/pools?status=Gone"));
        assertThat(refused.getStatusCode()).isEqualTo(400);
        assertThat(body(refused).path("detail").asText()).contains("status 'Gone' is not one of");
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.path("value").forEach(pool -> names.add(pool.path("name").asText()));
        return names;
    }

    @Test
    void onlyTheOwnerOrAnAdminDeletesAndAPurgeMustBeConfirmed() throws Exception {
        post(asPrincipal(Requests.postJson("/api/pools", PoolDocumentsFixture.document("ml-team").toString()),
                OID));
        drainMessages();

        assertThat(delete(asPrincipal(Requests.delete("/api/pools/ml-team"), "someone-else"))
                .getStatusCode()).isEqualTo(403);
        assertThat(delete(Requests.delete("/api/pools/ml-team")).getStatusCode()).isEqualTo(403);
        assertThat(delete(asPrincipal(Requests.delete("/api/pools/ml-team?purgeData=true"), OID))
                .getStatusCode()).isEqualTo(400);
        assertThat(drainMessages()).isEmpty();

        var deleted = delete(asPrincipal(
                Requests.delete("/api/pools/ml-team?purgeData=true&confirm=ml-team"), OID));

        assertThat(deleted.getStatusCode()).isEqualTo(202);
        assertThat(body(deleted).path("status").asText()).isEqualTo("Deleting");
        assertThat(drainMessages()).containsExactly(JSON.readTree(
                "{\"v\":1,\"kind\":\"teardown\",\"pool\":\"ml-team\",\"generation\":2,\"purgeData\":true}"));
    }

    /** docs/security.md's "who may change what", route by route: a stranger gets 403 and changes nothing. */
    @Test
    void onlyTheOwnerOrAnAdminPatchesRetriesOrManagesThePoolsUsers() throws Exception {
        post(asPrincipal(Requests.postJson("/api/pools", PoolDocumentsFixture.document("ml-team").toString()),
                OID));
        drainMessages();
        String stranger = "someone-else";

        var patched = new PatchPoolFunction(app).run(asPrincipal(Requests.patchJson("/api/pools/ml-team",
                "{\"capacity\":{\"max\":3}}"), stranger), "ml-team");
        var retried = new RetryPoolFunction(app).run(asPrincipal(Requests.postJson("/api/pools/ml-team/retry", ""),
                stranger), "ml-team", new InvocationContext("RetryPool"));
        var added = new AddPoolUserFunction(app).run(asPrincipal(Requests.postJson("/api/pools/ml-team/users",
                "{\"name\":\"mallory\",\"email\":\"m@example.org\"}"), stranger), "ml-team");
        var removed = new RemovePoolUserFunction(app).run(asPrincipal(Requests.delete(
                "/api/pools/ml-team/users/alice"), stranger), "ml-team", "alice");

        assertThat(List.of(patched, retried, added, removed)).extracting(
                com.microsoft.azure.functions.HttpResponseMessage::getStatusCode).containsOnly(403);
        assertThat(body(new GetPoolFunction(app).run(Requests.get("/api/pools/ml-team"), "ml-team"))
                .path("spec").path("capacity").path("max").asInt()).isEqualTo(PoolDocumentsFixture.document(
                        "ml-team").path("capacity").path("max").asInt());
        assertThat(drainMessages()).isEmpty();
    }

    @Test
    void onlyAFailedPoolIsRetriedAndTheRetryQueuesANewGeneration() throws Exception {
        post(PoolDocumentsFixture.document("ml-team"));
        drainMessages();
        assertThat(retry("ml-team").getStatusCode()).isEqualTo(409);
        assertThat(body(retry("ml-team")).path("type").asText()).isEqualTo("urn:dsvmpools:problem:not-failed");
        assertThat(retry("no-such-pool").getStatusCode()).isEqualTo(404);

        var records = new TablePoolRepository(storage.table(table));
        var stored = records.find(new org.dsvmpools.pool.PoolName("ml-team")).orElseThrow();
        var pool = stored.pool();
        records.replace(stored, pool.advance(org.dsvmpools.pool.PoolStatus.Failed, pool.progress().with(List.of(), 0,
                new org.dsvmpools.pool.PoolFailure(org.dsvmpools.pool.WorkItem.Kind.provision, "scaleSet",
                        "QuotaExceeded", "no cores"), null), "failed", clock.instant()));
        var failed = body(new GetPoolFunction(app).run(Requests.get("/api/pools/ml-team"), "ml-team"));
        assertThat(failed.path("failure").path("code").asText()).isEqualTo("QuotaExceeded");

        var retried = retry("ml-team");

        assertThat(retried.getStatusCode()).isEqualTo(202);
        assertThat(body(retried).path("status").asText()).isEqualTo("Accepted");
        assertThat(body(retried).path("generation").asLong()).isEqualTo(2);
        assertThat(drainMessages()).containsExactly(JSON.readTree(
                "{\"v\":1,\"kind\":\"provision\",\"pool\":\"ml-team\",\"generation\":2}"));
    }

    @Test
    void aReadyPoolIsWokenThroughTheWakeQueueAndOthersAreRefusedWithAReason() throws Exception {
        post(PoolDocumentsFixture.document("ml-team"));
        assertThat(wake("ml-team", "").getStatusCode()).isEqualTo(409);
        assertThat(body(wake("ml-team", "")).path("type").asText()).isEqualTo("urn:dsvmpools:problem:pool-not-ready");
        assertThat(wake("no-such-pool", "").getStatusCode()).isEqualTo(404);

        var records = new TablePoolRepository(storage.table(table));
        var stored = records.find(new org.dsvmpools.pool.PoolName("ml-team")).orElseThrow();
        records.replace(stored, stored.pool().moveTo(org.dsvmpools.pool.PoolStatus.Provisioning, "worker",
                clock.instant()).moveTo(org.dsvmpools.pool.PoolStatus.Ready, "Ready", clock.instant()));
        assertThat(body(wake("ml-team", "{\"seats\": 0}")).path("errors").get(0).path("pointer").asText())
                .isEqualTo("/seats");
        assertThat(wake("ml-team", "{\"seats\": 17}").getStatusCode()).as("4 instances of 4 seats").isEqualTo(400);

        new org.dsvmpools.azure.TableScalingSnapshots(storage.table(Adapters.SCALING_TABLE)).save(
                new org.dsvmpools.pool.PoolName("ml-team"), new org.dsvmpools.scaling.ScalingSnapshot(clock.instant(),
                        "0 active user(s), outside work hours, target 0 instance(s)", List.of(
                        new org.dsvmpools.scaling.ScalingSnapshot.InstanceState("0",
                                org.dsvmpools.scaling.PowerState.Deallocated, false, List.of(), null)), List.of(), List.of(),
                        new org.dsvmpools.scaling.ScalingSnapshot.Forecast(5, List.of(
                                new org.dsvmpools.scaling.ScalingSnapshot.Forecast.Slot(clock.instant(), 12, 3.5))),
                        null, new org.dsvmpools.scaling.Metered(java.time.YearMonth.from(clock.instant()
                        .atZone(java.time.ZoneOffset.UTC)), 41.5, clock.instant())));
        var shown = body(new GetPoolFunction(app).run(Requests.get("/api/pools/ml-team"), "ml-team"));
        assertThat(shown.path("scaling").path("forecast").path("historyDays").asInt()).isEqualTo(5);
        assertThat(shown.path("scaling").path("metered").path("instanceHours").asDouble()).isEqualTo(41.5);
        assertThat(shown.path("scaling").path("forecast").path("next").get(0).path("users").asInt()).isEqualTo(12);
        assertThat(shown.path("scaling").path("instances").get(0).path("power").asText()).isEqualTo("Deallocated");
        assertThat(shown.path("scaling").path("summary").asText()).startsWith("0 active user(s)");

        var woken = wake("ml-team", "{\"seats\": 6}");

        assertThat(woken.getStatusCode()).isEqualTo(202);
        assertThat(body(woken).path("seats").asInt()).isEqualTo(6);
        assertThat(java.time.Instant.parse(body(woken).path("expectedReadyAt").asText()))
                .isEqualTo(clock.instant().plusSeconds(95));
        var wakes = storage.queue(org.dsvmpools.azure.StorageQueueWakeRequests.POOL_WAKES);
        var message = wakes.receiveMessage();
        assertThat(JSON.readTree(message.getBody().toString())).isEqualTo(JSON.readTree(
                "{\"v\":1,\"pool\":\"ml-team\",\"seats\":6}"));
        wakes.deleteMessage(message.getMessageId(), message.getPopReceipt());
    }

    @Test
    void anAgentsUsageReportIsStoredForItsPoolAndABadOneFailsWithItsReason() throws Exception {
        post(PoolDocumentsFixture.document("ml-team"));
        String report = "{\"v\":1,\"pool\":\"ml-team\",\"instanceId\":\"0\",\"reportedAt\":\""
                + clock.instant() + "\",\"cpuPercent\":3,\"sessions\":[{\"user\":\"alice\",\"lastActivity\":\""
                + clock.instant() + "\"}]}";

        new IngestUsageFunction(app).run(report, new InvocationContext("IngestUsage"));

        var stored = new org.dsvmpools.azure.TableUsageReports(storage.table(Adapters.USAGE_TABLE))
                .latest(new org.dsvmpools.pool.PoolName("ml-team"));
        assertThat(stored).containsOnlyKeys("0");
        assertThat(stored.get("0").sessions()).extracting(s -> s.user()).containsExactly("alice");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new IngestUsageFunction(app).run(
                report.replace("\"cpuPercent\":3", "\"cpuPercent\":-3"), new InvocationContext("IngestUsage")))
                .hasMessageContaining("'cpuPercent' must be 0-100");
    }

    @Test
    void aPatchChangesTheScalingRulesOnlyAndIsValidatedAsAWhole() throws Exception {
        post(PoolDocumentsFixture.document("ml-team"));

        var changed = patch("{\"capacity\": {\"max\": 8}, \"idleTimeoutMinutes\": 45, \"schedule\": null}");

        assertThat(changed.getStatusCode()).isEqualTo(200);
        JsonNode pool = body(changed);
        assertThat(pool.path("spec").path("capacity").path("max").asInt()).isEqualTo(8);
        assertThat(pool.path("spec").path("capacity").path("min").asInt()).as("merged, not replaced").isZero();
        assertThat(pool.path("spec").path("idleTimeoutMinutes").asInt()).isEqualTo(45);
        assertThat(pool.path("spec").has("schedule")).as("null removes").isFalse();
        assertThat(pool.path("generation").asLong()).as("nothing to deploy").isEqualTo(1);
        assertThat(pool.path("events").get(pool.path("events").size() - 1).path("reason").asText())
                .startsWith("Scaling rules changed by");

        JsonNode fixed = body(patch("{\"vmSize\": \"Standard_E4s_v5\", \"capacity\": {\"max\": 2}}"));
        assertThat(fixed.path("errors").findValuesAsText("pointer")).containsExactly("/vmSize");
        JsonNode invalid = body(patch("{\"capacity\": {\"min\": 9}}"));
        assertThat(invalid.path("errors").findValuesAsText("pointer")).contains("/capacity/min");
        assertThat(body(new GetPoolFunction(app).run(Requests.get("/api/pools/ml-team"), "ml-team"))
                .path("spec").path("capacity").path("max").asInt()).as("refused patches change nothing").isEqualTo(8);
    }

    private com.microsoft.azure.functions.HttpResponseMessage patch(String json) {
        return new PatchPoolFunction(app).run(Requests.patchJson("/api/pools/ml-team", json), "ml-team");
    }

    private com.microsoft.azure.functions.HttpResponseMessage wake(String name, String body) {
        return new WakePoolFunction(app).run(Requests.postJson("/api/pools/" + name + "/wake", body), name,
                new InvocationContext("WakePool"));
    }

    private com.microsoft.azure.functions.HttpResponseMessage retry(String name) {
        return new RetryPoolFunction(app).run(Requests.postJson("/api/pools/" + name + "/retry", ""), name,
                new InvocationContext("RetryPool"));
    }

    @Test
    void aForgedOrUnparsablePrincipalIs401() {
        var forged = Requests.postJson("/api/pools", PoolDocumentsFixture.document("ml-team").toString())
                .withHeader("X-MS-CLIENT-PRINCIPAL", ClientPrincipalsTest.entraPrincipal(OID))
                .withHeader("X-MS-CLIENT-PRINCIPAL-ID", "not-the-same");
        var garbage = Requests.get("/api/pools").withHeader("X-MS-CLIENT-PRINCIPAL", "@@@");

        assertThat(create(forged).getStatusCode()).isEqualTo(401);
        assertThat(new ListPoolsFunction(app).run(garbage).getStatusCode()).isEqualTo(401);
        assertThat(drainMessages()).isEmpty();
    }

    @Test
    void fiftyConcurrentIdenticalRequestsCreateOneRecordAndOneMessage() throws Exception {
        String body = PoolDocumentsFixture.document("rush-team").toString();
        ExecutorService callers = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                statuses.add(callers.submit(() -> {
                    start.await();
                    return create(Requests.postJson("/api/pools", body)).getStatusCode();
                }));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                codes.add(status.get());
            }

            assertThat(codes).containsOnly(200, 202);
            assertThat(codes).filteredOn(code -> code == 202).hasSize(1);
        } finally {
            callers.shutdownNow();
        }
        TableClient records = storage.table(table);
        assertThat(records.listEntities(new ListEntitiesOptions().setFilter("RowKey eq 'rush-team'"), null, null)
                .stream().count()).isEqualTo(1);
        assertThat(drainMessages()).hasSize(1);
    }

    @Test
    void aQueueOutageAfterTheStoreIsRecoveredByTheTimer() {
        Settings settings = settings(Azurite.shared().connectionString());
        App queueDown = App.wire(settings, clock, Adapters.fromSettings(settings, clock)
                .withQueue(new StorageQueueWorkQueue(new StorageClients(Azurite.shared().connectionStringWithDeadQueue())
                        .queue(StorageQueueWorkQueue.POOL_REQUESTS))).withCloud(() -> {
                    throw new AssertionError("the HTTP path must not build ARM clients");
                }));

        var response = new CreatePoolFunction(queueDown).run(
                Requests.postJson("/api/pools", PoolDocumentsFixture.document("ml-team").toString()),
                new InvocationContext("CreatePool"));

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(drainMessages()).isEmpty();

        clock.advance(Duration.ofMinutes(11));
        new RecoverStuckPoolsFunction(app).run("{}", new InvocationContext("RecoverStuckPools"));

        assertThat(drainMessages()).extracting(message -> message.path("pool").asText()).containsExactly("ml-team");
        JsonNode pool = body(new GetPoolFunction(app).run(Requests.get("/api/pools/ml-team"), "ml-team"));
        assertThat(pool.path("events").get(pool.path("events").size() - 1).path("reason").asText())
                .contains("sent again");
    }

    private static FunctionHttpRequest<Optional<String>> asPrincipal(FunctionHttpRequest<Optional<String>> request,
                                                                    String oid) {
        return request.withHeader("X-MS-CLIENT-PRINCIPAL", ClientPrincipalsTest.entraPrincipal(oid))
                .withHeader("X-MS-CLIENT-PRINCIPAL-ID", oid);
    }

    private com.microsoft.azure.functions.HttpResponseMessage post(JsonNode document) {
        return create(Requests.postJson("/api/pools", document.toString()));
    }

    private com.microsoft.azure.functions.HttpResponseMessage post(FunctionHttpRequest<Optional<String>> request) {
        return create(request);
    }

    private com.microsoft.azure.functions.HttpResponseMessage create(FunctionHttpRequest<Optional<String>> request) {
        return new CreatePoolFunction(app).run(request, new InvocationContext("CreatePool"));
    }

    private com.microsoft.azure.functions.HttpResponseMessage delete(FunctionHttpRequest<Optional<String>> request) {
        String name = request.getUri().getPath().substring("/api/pools/".length());
        return new DeletePoolFunction(app).run(request, name, new InvocationContext("DeletePool"));
    }

    private static JsonNode body(com.microsoft.azure.functions.HttpResponseMessage response) {
        try {
            return JSON.readTree((String) response.getBody());
        } catch (Exception e) {
            throw new AssertionError("response body is not JSON: " + response.getBody(), e);
        }
    }

    /** Receives and deletes every message on the queue, decoded. */
    private List<JsonNode> drainMessages() {
        List<JsonNode> messages = new ArrayList<>();
        while (true) {
            List<QueueMessageItem> batch = new ArrayList<>();
            queue.receiveMessages(32, Duration.ofSeconds(30), null, null).forEach(batch::add);
            if (batch.isEmpty()) {
                return messages;
            }
            for (QueueMessageItem message : batch) {
                try {
                    messages.add(JSON.readTree(message.getBody().toString()));
                } catch (Exception e) {
                    throw new AssertionError("message is not JSON: " + message.getBody(), e);
                }
                queue.deleteMessage(message.getMessageId(), message.getPopReceipt());
            }
        }
    }
}
