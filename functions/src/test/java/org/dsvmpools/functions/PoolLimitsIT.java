package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
 * The installation's limits through the HTTP API against Azurite: pools per owner (an admin may exceed it), the
 * instances of all pools together (nobody may), and the regions pools may be in; each refusal names the limit and
 * what is in use, and stores nothing.
 */
class PoolLimitsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "11111111-1111-4111-8111-111111111111";
    private static final String BOB = "22222222-2222-4222-8222-222222222222";
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private App app;
    private String table;

    @BeforeEach
    void app() {
        table = "limits" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        app = App.fromSettings(new Settings(Map.of(
                Settings.STORAGE_CONNECTION, Azurite.shared().connectionString(),
                Settings.POOL_TABLE, table,
                Settings.PLATFORM_AUTH_ENABLED, "True",
                Settings.MAX_POOLS_PER_OWNER, "2",
                Settings.MAX_INSTANCES, "10",
                Settings.ALLOWED_REGIONS, "westeurope, northeurope")), new MutableClock(NOW));
    }

    @AfterEach
    void everyResponseIsAsTheOpenApiDocumentSays() {
        assertThat(OpenApiContract.get().violations(OpenApiContract.Recorded.drain())).isEmpty();
    }

    @Test
    void aThirdPoolOfOneOwnerIsRefusedNamingTheLimitAndAnAdminMayGoPastIt() throws Exception {
        assertThat(post("team-a", 2, ALICE).getStatusCode()).isEqualTo(202);
        assertThat(post("team-b", 2, ALICE).getStatusCode()).isEqualTo(202);

        HttpResponseMessage third = post("team-c", 2, ALICE);

        assertThat(third.getStatusCode()).isEqualTo(409);
        JsonNode problem = body(third);
        assertThat(problem.path("type").asText()).isEqualTo("urn:dsvmpools:problem:limit-exceeded");
        assertThat(problem.path("limit").path("setting").asText()).isEqualTo("DSVMPOOLS_MAX_POOLS_PER_OWNER");
        assertThat(problem.path("limit").path("allowed").asInt()).isEqualTo(2);
        assertThat(problem.path("limit").path("inUse").asInt()).isEqualTo(2);
        assertThat(problem.path("detail").asText()).contains("DSVMPOOLS_MAX_POOLS_PER_OWNER allows 2");
        assertThat(get("team-c").getStatusCode()).as("nothing stored").isEqualTo(404);
        assertThat(post("team-c", 2, BOB).getStatusCode()).as("another owner's count").isEqualTo(202);
        assertThat(post("team-d", 2, ALICE, "Pools.Admin").getStatusCode()).isEqualTo(202);
        assertThat(post("team-a", 2, ALICE).getStatusCode()).as("the same request again").isEqualTo(200);
    }

    @Test
    void theInstancesOfAllPoolsStayWithinTheGlobalLimitEvenForAnAdminAndThroughPatch() throws Exception {
        assertThat(post("big", 6, ALICE).getStatusCode()).isEqualTo(202);

        HttpResponseMessage admin = post("bigger", 6, BOB, "Pools.Admin");
        assertThat(admin.getStatusCode()).isEqualTo(409);
        assertThat(body(admin).path("limit").path("setting").asText()).isEqualTo("DSVMPOOLS_MAX_INSTANCES");
        assertThat(body(admin).path("limit").path("inUse").asInt()).isEqualTo(6);
        assertThat(body(admin).path("limit").path("requested").asInt()).isEqualTo(6);

        assertThat(post("small", 4, BOB).getStatusCode()).isEqualTo(202);
        HttpResponseMessage raise = new PatchPoolFunction(app).run(asPrincipal(Requests.patchJson("/api/pools/big",
                "{\"capacity\":{\"max\":7}}").withHeader("Content-Type", "application/merge-patch+json"), ALICE),
                "big");
        assertThat(raise.getStatusCode()).isEqualTo(409);
        assertThat(body(raise).path("limit").path("inUse").asInt()).isEqualTo(4);
        HttpResponseMessage lower = new PatchPoolFunction(app).run(asPrincipal(Requests.patchJson("/api/pools/big",
                "{\"capacity\":{\"max\":5}}").withHeader("Content-Type", "application/merge-patch+json"), ALICE),
                "big");
        assertThat(lower.getStatusCode()).isEqualTo(200);
    }

    @Test
    void tenRequestsOfOneOwnerAtOnceKeepToTheLimitExactly() throws Exception {
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(10);
        java.util.List<java.util.concurrent.Future<HttpResponseMessage>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "rush-" + i;
            answers.add(callers.submit(() -> post(name, 1, ALICE)));
        }
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get().getStatusCode());
        }
        callers.shutdown();

        assertThat(statuses).filteredOn(status -> status == 202).hasSize(2);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(8);
        long stored = 0;
        for (int i = 0; i < 10; i++) {
            stored += get("rush-" + i).getStatusCode() == 200 ? 1 : 0;
        }
        assertThat(stored).as("the refused ones left no record").isEqualTo(2);
    }

    /** #27 finding 3: re-requests of Deleted names skipped the recount (five at once, limit 2: four or five in). */
    @Test
    void fiveReRequestsOfDeletedNamesAtOnceKeepToTheOwnersLimitExactly() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(post("old-" + i, 1, ALICE, "Pools.Admin").getStatusCode()).isEqualTo(202);
            deleteOutright("old-" + i, false);
        }

        java.util.List<Integer> statuses = atOnce(5, i -> post("old-" + i, 1, ALICE));

        assertThat(statuses).filteredOn(status -> status == 202).hasSize(2);
        assertThat(statuses).filteredOn(status -> status == 409).hasSize(3);
        long live = 0;
        for (int i = 0; i < 5; i++) {
            live += body(get("old-" + i)).path("status").asText().equals("Deleted") ? 0 : 1;
        }
        assertThat(live).isEqualTo(2);
    }

    /** #27 finding 3: two PATCHes raising max at once both passed the global limit. */
    @Test
    void twoPatchesRaisingMaxAtOnceNeverBothPassTheGlobalLimit() throws Exception {
        assertThat(post("pool-a", 3, ALICE).getStatusCode()).isEqualTo(202);
        assertThat(post("pool-b", 3, BOB).getStatusCode()).isEqualTo(202);
        for (int round = 0; round < 4; round++) {
            java.util.List<Integer> statuses = atOnce(2, i -> patchMax(i == 0 ? "pool-a" : "pool-b", 7, i == 0 ? ALICE : BOB));

            assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(200, 409);
            int winner = statuses.get(0) == 200 ? 0 : 1;
            assertThat(patchMax(winner == 0 ? "pool-a" : "pool-b", 3, winner == 0 ? ALICE : BOB).getStatusCode())
                    .isEqualTo(200);
        }
    }

    /** #27 finding 2: Bob asking for the name of Alice's deleted pool got her share and her users. */
    @Test
    void aDeletedPoolsNameIsHeldForItsOwnerWhileItsDataIsKeptAndIsAnyonesOncePurged() throws Exception {
        assertThat(post("kept", 1, ALICE).getStatusCode()).isEqualTo(202);
        assertThat(post("gone", 1, ALICE).getStatusCode()).isEqualTo(202);
        deleteOutright("kept", false);
        deleteOutright("gone", true);

        HttpResponseMessage held = post("kept", 1, BOB);

        assertThat(held.getStatusCode()).isEqualTo(409);
        assertThat(body(held).path("type").asText()).isEqualTo("urn:dsvmpools:problem:name-held");
        assertThat(body(get("kept")).path("status").asText()).isEqualTo("Deleted");
        assertThat(post("gone", 1, BOB).getStatusCode()).as("nothing of Alice's is left under it").isEqualTo(202);
        HttpResponseMessage badFlag = new CreatePoolFunction(app).run(asPrincipal(Requests.postJson(
                "/api/pools?keepRoster=maybe", PoolDocumentsFixture.document("kept").toString()), ALICE),
                new InvocationContext("CreatePool"));
        assertThat(badFlag.getStatusCode()).isEqualTo(400);
        HttpResponseMessage again = new CreatePoolFunction(app).run(asPrincipal(Requests.postJson(
                "/api/pools?keepRoster=true", PoolDocumentsFixture.document("kept").toString()), ALICE),
                new InvocationContext("CreatePool"));
        assertThat(again.getStatusCode()).isEqualTo(202);
    }

    /** The record as the worker leaves it after a teardown: Deleted, its share kept unless purged. */
    private void deleteOutright(String name, boolean purge) {
        var pools = new org.dsvmpools.azure.TablePoolRepository(
                new org.dsvmpools.azure.StorageClients(Azurite.shared().connectionString()).table(table));
        var stored = pools.find(new org.dsvmpools.pool.PoolName(name)).orElseThrow();
        var owner = new org.dsvmpools.pool.Caller(stored.pool().owner().id(), "owner", java.util.Set.of());
        pools.replace(stored, stored.pool().requestTeardown(purge, owner, NOW)
                .moveTo(org.dsvmpools.pool.PoolStatus.Deleted, "torn down", NOW));
    }

    private HttpResponseMessage patchMax(String name, int max, String oid) {
        return new PatchPoolFunction(app).run(asPrincipal(Requests.patchJson("/api/pools/" + name,
                "{\"capacity\":{\"max\":" + max + "}}").withHeader("Content-Type", "application/merge-patch+json"),
                oid), name);
    }

    /** {@code count} calls started together; their statuses in call order. */
    private static java.util.List<Integer> atOnce(int count,
                                                  java.util.function.IntFunction<HttpResponseMessage> call)
            throws Exception {
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(count);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<HttpResponseMessage>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            answers.add(callers.submit(() -> {
                start.await();
                return call.apply(index);
            }));
        }
        start.countDown();
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (var answer : answers) {
            statuses.add(answer.get().getStatusCode());
        }
        callers.shutdown();
        return statuses;
    }

    @Test
    void aRegionOutsideTheListIsRefused() throws Exception {
        ObjectNode document = PoolDocumentsFixture.document("far-away").put("location", "australiaeast");

        HttpResponseMessage refused = new CreatePoolFunction(app).run(asPrincipal(Requests.postJson("/api/pools",
                document.toString()), ALICE), new InvocationContext("CreatePool"));

        assertThat(refused.getStatusCode()).isEqualTo(422);
        assertThat(body(refused).path("detail").asText()).contains("northeurope, westeurope", "australiaeast",
                "DSVMPOOLS_ALLOWED_REGIONS");
    }

    private HttpResponseMessage post(String name, int max, String oid, String... roles) {
        ObjectNode document = PoolDocumentsFixture.document(name);
        document.putObject("capacity").put("min", 0).put("max", max).put("initial", 0);
        return new CreatePoolFunction(app).run(asPrincipal(Requests.postJson("/api/pools", document.toString()), oid,
                roles), new InvocationContext("CreatePool"));
    }

    private HttpResponseMessage get(String name) {
        return new GetPoolFunction(app).run(Requests.get("/api/pools/" + name), name);
    }

    private static FunctionHttpRequest<Optional<String>> asPrincipal(FunctionHttpRequest<Optional<String>> request,
                                                                    String oid, String... roles) {
        return request.withHeader("X-MS-CLIENT-PRINCIPAL", ClientPrincipalsTest.entraPrincipal(oid, roles))
                .withHeader("X-MS-CLIENT-PRINCIPAL-ID", oid);
    }

    private static JsonNode body(HttpResponseMessage response) throws Exception {
        return JSON.readTree((String) response.getBody());
    }
}
