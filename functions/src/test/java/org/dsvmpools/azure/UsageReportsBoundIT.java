package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.dsvmpools.functions.App;
import org.dsvmpools.functions.FunctionsForTests;
import org.dsvmpools.functions.Settings;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.pool.AzureNames;
import org.dsvmpools.pool.PoolName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Usage reports over HTTPS, bound to their sender: two pools deployed to the emulator, each instance's
 * managed-identity token from the emulator's metadata service of its own scale set, and {@code POST /api/usage}
 * through the real function, Azurite and the emulator's Entra ID. A VM of one pool cannot change another pool's
 * scaling, nor pose as an identity no pool has.
 */
class UsageReportsBoundIT extends LocalCloudTest {
    private static final String AUDIENCE = "api://7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static App app;
    private static HttpClient trusting;
    private static PoolName teamA;
    private static PoolName teamB;

    @BeforeAll
    static void twoPools() throws Exception {
        String table = "bound" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        TablePoolRepository repository = new TablePoolRepository(local.storage.table(table));
        teamA = DeployedPools.deploy(local, repository, "usage-a");
        teamB = DeployedPools.deploy(local, repository, "usage-b");
        trusting = HttpClient.newBuilder().sslContext(local.trust()).build();
        Settings settings = new Settings(Map.of(Settings.STORAGE_CONNECTION, local.azurite.connectionString(),
                Settings.POOL_TABLE, table, Settings.SUBSCRIPTION_ID, EmulatorClients.SUBSCRIPTION,
                Settings.USAGE_AUDIENCE, AUDIENCE, Settings.USAGE_URL, "https://func.example/api/usage",
                Settings.ENTRA_AUTHORITY, local.emulator.entraAuthority()));
        app = App.wire(settings, SystemClock.utc(), org.dsvmpools.functions.Adapters.fromSettings(settings, SystemClock.utc())
                .withEntraHttp(trusting));
    }

    /** What the metadata service of an instance of this pool answers: its scale set's identity's token. */
    private static String instanceToken(PoolName pool, String audience) throws Exception {
        AzureNames names = AzureNames.of(pool);
        HttpResponse<String> answer = trusting.send(HttpRequest.newBuilder(URI.create(local.emulator
                .instanceMetadataService(names.resourceGroup(), names.scaleSet())
                + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
                + URLEncoder.encode(audience, StandardCharsets.UTF_8))).header("Metadata", "true").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("access_token").asText();
    }

    private static String report(PoolName claimed) {
        return "{\"v\":1,\"pool\":\"" + claimed.value() + "\",\"instanceId\":\"0\",\"reportedAt\":\""
                + SystemClock.now().minusSeconds(5) + "\",\"cpuPercent\":90,\"sessions\":[{\"user\":\"alice\","
                + "\"lastActivity\":\"" + SystemClock.now().minusSeconds(5) + "\"}],\"kernels\":[]}";
    }

    private static HttpResponseMessage post(String body, String token) {
        return FunctionsForTests.reportUsage(app, body, token);
    }

    private static JsonNode pool(PoolName name) throws Exception {
        return JSON.readTree((String) FunctionsForTests.getPool(app, name.value()).getBody());
    }

    @Test
    void aVmReportsForItsOwnPool() throws Exception {
        HttpResponseMessage stored = post(report(teamA), instanceToken(teamA, AUDIENCE));

        assertThat(stored.getStatusCode()).isEqualTo(202);
        assertThat(new TableUsageReports(local.storage.table("usage")).latest(teamA)).containsKey("0");
    }

    @Test
    void aVmOfOnePoolCannotChangeAnotherPoolsScalingAndTheRefusalIsCountedOnIt() throws Exception {
        long before = pool(teamB).path("usage").path("rejectedReports").asLong(0);

        HttpResponseMessage refused = post(report(teamB), instanceToken(teamA, AUDIENCE));

        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat((String) refused.getBody()).contains("report-refused", "usage-b")
                .as("names nobody's principal, neither the sender's nor the pool's instances'")
                .doesNotContain(oid(instanceToken(teamA, AUDIENCE)), oid(instanceToken(teamB, AUDIENCE)));
        assertThat(pool(teamB).path("usage").path("rejectedReports").asLong()).isEqualTo(before + 1);
        assertThat(pool(teamB).path("usage").path("lastRejection").asText()).contains("came from principal");
    }

    @Test
    void anUnknownPrincipalNoTokenOrATokenForAnotherAudienceIsRefused() throws Exception {
        String stranger = local.strangeIdentityToken(AUDIENCE);

        assertThat(post(report(teamA), stranger)
                .getStatusCode()).isEqualTo(403);
        assertThat(post(report(teamA), null).getStatusCode()).isEqualTo(401);
        assertThat(post(report(teamA), instanceToken(teamA, "api://someone-else")).getStatusCode()).isEqualTo(401);
        assertThat(post("{\"v\":1}", instanceToken(teamA, AUDIENCE)).getStatusCode()).isEqualTo(400);
    }

    private static String oid(String token) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1])).path("oid").asText();
    }

    @Test
    void aReportOver64KiBOrWithAFieldTheReportDoesNotDefineIsRefused() throws Exception {
        String token = instanceToken(teamA, AUDIENCE);
        HttpResponseMessage large = post(report(teamA).replace("\"cpuPercent\":90", "\"cpuPercent\":90"
                + " ".repeat(8 * 1024 * 1024)), token);
        assertThat(large.getStatusCode()).isEqualTo(413);
        assertThat((String) large.getBody()).contains("report-too-large", "65536");

        HttpResponseMessage unknown = post(report(teamA).replace("\"cpuPercent\":90", "\"cpuPercent\":90,"
                + "\"sessionsOverride\":[]"), token);
        assertThat(unknown.getStatusCode()).isEqualTo(400);
        assertThat((String) unknown.getBody()).contains("unknown field sessionsOverride");
    }

    /** #27 finding 10: with an audience set, a report on the usage queue steers nothing and is counted. */
    @Test
    void withAnAudienceAReportOnTheQueueIsRefusedAndCountedOnThePoolItNames() throws Exception {
        new TableUsageReports(local.storage.table("usage")).latest(teamB);
        long before = pool(teamB).path("usage").path("rejectedReports").asLong(0);
        String forged = report(teamB).replace("\"instanceId\":\"0\"", "\"instanceId\":\"77\"");

        FunctionsForTests.ingestUsage(app, forged);

        assertThat(new TableUsageReports(local.storage.table("usage")).latest(teamB)).doesNotContainKey("77");
        assertThat(pool(teamB).path("usage").path("rejectedReports").asLong()).isEqualTo(before + 1);
        assertThat(pool(teamB).path("usage").path("lastRejection").asText()).contains("usage queue");
    }
}
