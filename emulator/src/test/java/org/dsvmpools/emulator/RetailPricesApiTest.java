package org.dsvmpools.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dsvmpools.kit.TlsCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator's retail price list: the API's page shape, its filter's equality clauses, 400 for the rest. */
class RetailPricesApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static AzureEmulator emulator;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        TlsCertificate tls = TlsCertificate.loadOrCreate(dir);
        emulator = AzureEmulator.start(0, 0, 0.001, dir, tls.serverContext());
        client = HttpClient.newBuilder().sslContext(tls.clientContext()).build();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void aFilterOfEqualitiesGivesThePageWithEveryMeterOfTheSize() throws Exception {
        HttpResponse<String> page = prices("serviceName eq 'Virtual Machines' and armRegionName eq 'westeurope'"
                + " and armSkuName eq 'Standard_D4s_v5' and priceType eq 'Consumption'");
        JsonNode body = JSON.readTree(page.body());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(body.path("BillingCurrency").asText()).isEqualTo("USD");
        assertThat(body.path("Count").asInt()).isEqualTo(4).isEqualTo(body.path("Items").size());
        assertThat(body.path("Items").findValuesAsText("skuName")).containsExactlyInAnyOrder("D4s v5", "D4s v5",
                "D4s v5 Spot", "D4s v5 Low Priority");
        assertThat(JSON.readTree(prices("armSkuName eq 'standard_d4s_v5'").body()).path("Count").asInt())
                .as("values are case-sensitive").isZero();
    }

    @Test
    void whatTheEmulatorDoesNotReadIsRefusedNotIgnored() throws Exception {
        for (String filter : new String[]{"armSkuName ne 'Standard_D4s_v5'", "contains(armSkuName, 'D4')",
                "price eq '1'", "armSkuName eq Standard_D4s_v5"}) {
            HttpResponse<String> refused = prices(filter);
            assertThat(refused.statusCode()).as(filter).isEqualTo(400);
            assertThat(JSON.readTree(refused.body()).path("Error").path("Code").asText()).isEqualTo("BadRequest");
        }
    }

    private static HttpResponse<String> prices(String filter) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(emulator.retailPricesEndpoint()
                + "?api-version=2023-01-01-preview&$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                .replace("+", "%20"))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
