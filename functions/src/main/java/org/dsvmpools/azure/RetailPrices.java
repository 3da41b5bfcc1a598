package org.dsvmpools.azure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.dsvmpools.door.DoorPorts;

/**
 * A VM size's pay-as-you-go Linux price from the Azure Retail Prices API ({@code GET
 * https://prices.azure.com/api/retail/prices}, anonymous; "Azure Retail Prices overview"): one filtered query
 * per region and size ({@code serviceName}, {@code armRegionName}, {@code armSkuName}, {@code priceType eq
 * 'Consumption'}, primary meters only, values case-sensitive since 2023-01-01-preview), of whose items the one
 * without "Windows" in its product name and without "Spot" or "Low Priority" in its SKU name is the Linux
 * pay-as-you-go meter. Prices change rarely: each is kept {@link #KEPT} (by the injected clock), a failure
 * {@link #FAILURE_KEPT}, so a portal page costs no call to the list at all most of the time.
 */
public final class RetailPrices implements DoorPorts.ComputePrices {
    public static final String ENDPOINT = "https://prices.azure.com/api/retail/prices";
    static final String API_VERSION = "2023-01-01-preview";
    static final Duration KEPT = Duration.ofHours(24);
    static final Duration FAILURE_KEPT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient http;
    private final Clock clock;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    private record Kept(Priced price, Instant until) {
    }

    public RetailPrices(URI endpoint, HttpClient http, Clock clock) {
        this.endpoint = endpoint;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public Priced hourly(String region, String vmSize) {
        String key = region + " " + vmSize;
        Kept known = kept.get(key);
        Instant now = clock.instant();
        if (known != null && now.isBefore(known.until())) {
            return known.price();
        }
        Priced price = read(region, vmSize);
        kept.put(key, new Kept(price, now.plus(price.amount() != null ? KEPT : FAILURE_KEPT)));
        return price;
    }

    private Priced read(String region, String vmSize) {
        String filter = "serviceName eq 'Virtual Machines' and armRegionName eq '" + quoted(region)
                + "' and armSkuName eq '" + quoted(vmSize) + "' and priceType eq 'Consumption'";
        URI query = URI.create(endpoint + "?api-version=" + API_VERSION + "&meterRegion='primary'&$filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20"));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(query).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Priced(null, null, "the retail price list answered HTTP " + response.statusCode());
            }
            for (JsonNode item : JSON.readTree(response.body()).path("Items")) {
                if (isLinuxPayAsYouGo(item)) {
                    return new Priced(item.path("retailPrice").asDouble(), item.path("currencyCode").asText("USD"),
                            null);
                }
            }
            return new Priced(null, null, "the retail price list has no Linux pay-as-you-go price for " + vmSize
                    + " in " + region);
        } catch (IOException e) {
            return new Priced(null, null, "the retail price list could not be read (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Priced(null, null, "interrupted");
        }
    }

    static boolean isLinuxPayAsYouGo(JsonNode item) {
        String sku = item.path("skuName").asText();
        return "Consumption".equals(item.path("type").asText()) && "1 Hour".equals(item.path("unitOfMeasure").asText())
                && !item.path("productName").asText().contains("Windows") && !sku.contains("Spot")
                && !sku.contains("Low Priority");
    }

    /** OData doubles a quote inside a string literal. */
    private static String quoted(String value) {
        return value.replace("'", "''");
    }
}
