package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Azure Retail Prices API ({@code GET /api/retail/prices}; "Azure Retail Prices overview"), for the few VM
 * sizes the dev stack and the tests use, each with the meters a real query returns beside the Linux
 * pay-as-you-go one (Windows, Spot, Low Priority), so a client that picks the wrong meter is seen to. The
 * figures are illustrative, in the API's shape, not Azure's prices. The {@code $filter} is a subset of the
 * API's OData: {@code field eq 'value'} clauses joined by {@code and}, over the API's filterable fields, values
 * compared case-sensitively (as from api-version 2023-01-01-preview); anything else is refused with 400.
 */
final class RetailPricesApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The fields the API documents as filterable. */
    private static final Set<String> FIELDS = Set.of("armRegionName", "location", "meterId", "meterName", "productId",
            "skuId", "productName", "skuName", "serviceName", "serviceId", "serviceFamily", "priceType", "armSkuName");
    private static final Pattern CLAUSE = Pattern.compile("\\s*(\\w+)\\s+eq\\s+'((?:[^']|'')*)'\\s*");
    /** Linux pay-as-you-go per hour, illustrative: size to (series, westeurope, eastus). */
    private static final Map<String, Object[]> SIZES = Map.of(
            "Standard_D2s_v5", new Object[]{"Dv5", 0.115, 0.096},
            "Standard_D4s_v5", new Object[]{"Dv5", 0.230, 0.192},
            "Standard_D8s_v5", new Object[]{"Dv5", 0.460, 0.384},
            "Standard_NC4as_T4_v3", new Object[]{"NCasT4v3", 0.631, 0.526});

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, error("MethodNotAllowed", "Only GET is supported"));
                return;
            }
            Map<String, String> query = EntraApi.form(exchange.getRequestURI().getRawQuery());
            Map<String, String> filter = new LinkedHashMap<>();
            String given = query.getOrDefault("$filter", "");
            if (!given.isBlank()) {
                for (String clause : given.split("(?i)\\s+and\\s+")) {
                    Matcher matcher = CLAUSE.matcher(clause);
                    if (!matcher.matches() || !FIELDS.contains(matcher.group(1))) {
                        send(exchange, 400, error("BadRequest", "Invalid OData parameters supplied: '" + clause.strip()
                                + "' (the emulator takes field eq 'value' clauses joined by and)"));
                        return;
                    }
                    filter.put(matcher.group(1), matcher.group(2).replace("''", "'"));
                }
            }
            ArrayNode items = JSON.createArrayNode();
            for (ObjectNode item : items()) {
                if (filter.entrySet().stream().allMatch(e -> e.getKey().equals("priceType")
                        ? item.path("type").asText().equals(e.getValue())
                        : item.path(e.getKey()).asText().equals(e.getValue()))) {
                    items.add(item);
                }
            }
            ObjectNode page = JSON.createObjectNode().put("BillingCurrency", "USD").put("CustomerEntityId", "Default")
                    .put("CustomerEntityType", "Retail");
            page.set("Items", items);
            page.putNull("NextPageLink");
            page.put("Count", items.size());
            send(exchange, 200, page);
        }
    }

    private static List<ObjectNode> items() {
        List<ObjectNode> items = new java.util.ArrayList<>();
        SIZES.forEach((size, row) -> {
            String series = (String) row[0];
            String short_ = size.replace("Standard_", "").replace('_', ' ');
            for (Object[] region : new Object[][]{{"westeurope", "EU West", row[1]}, {"eastus", "US East", row[2]}}) {
                double linux = (double) region[2];
                items.add(item(size, short_, "Virtual Machines " + series + " Series", region, linux));
                items.add(item(size, short_, "Virtual Machines " + series + " Series Windows", region, linux * 1.8));
                items.add(item(size, short_ + " Spot", "Virtual Machines " + series + " Series", region, linux * 0.2));
                items.add(item(size, short_ + " Low Priority", "Virtual Machines " + series + " Series", region,
                        linux * 0.2));
            }
        });
        return items;
    }

    private static ObjectNode item(String size, String sku, String product, Object[] region, double price) {
        double rounded = Math.round(price * 10000) / 10000.0;
        return JSON.createObjectNode().put("currencyCode", "USD").put("tierMinimumUnits", 0.0)
                .put("retailPrice", rounded).put("unitPrice", rounded).put("armRegionName", (String) region[0])
                .put("location", (String) region[1]).put("effectiveStartDate", "2024-01-01T00:00:00Z")
                .put("meterName", sku).put("productName", product).put("skuName", sku)
                .put("serviceName", "Virtual Machines").put("serviceFamily", "Compute").put("unitOfMeasure", "1 Hour")
                .put("type", "Consumption").put("isPrimaryMeterRegion", true).put("armSkuName", size);
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("Error").put("Code", code).put("Message", message);
        return body;
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
