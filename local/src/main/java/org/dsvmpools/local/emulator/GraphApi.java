package org.dsvmpools.local.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Microsoft Graph that rosters use: {@code GET /v1.0/groups/{id}/members} (100 per page, with
 * {@code @odata.nextLink}); 404 {@code Request_ResourceNotFound} for an unknown group. Tests and a developer set
 * a group's members with {@code PUT /emulator/graph/groups/{id}} and a body {@code {"members":[{"id","mail",
 * "displayName"}]}}.
 */
final class GraphApi {
    static final int PAGE = 100;
    private static final Pattern MEMBERS = Pattern.compile("/v1\\.0/groups/([0-9a-fA-F-]{36})/members");
    private static final Pattern CONTROL = Pattern.compile("/emulator/graph/groups/([0-9a-fA-F-]{36})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<JsonNode>> groups = new ConcurrentHashMap<>();

    void members(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = MEMBERS.matcher(exchange.getRequestURI().getPath());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                send(exchange, 401, error("InvalidAuthenticationToken", "Access token is empty."));
                return;
            }
            if (!path.matches() || !exchange.getRequestMethod().equals("GET")) {
                send(exchange, 400, error("BadRequest", "Unsupported request " + exchange.getRequestURI()));
                return;
            }
            List<JsonNode> members = groups.get(path.group(1).toLowerCase(java.util.Locale.ROOT));
            if (members == null) {
                send(exchange, 404, error("Request_ResourceNotFound", "Resource '" + path.group(1)
                        + "' does not exist or one of its queried reference-property objects are not present."));
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            int skip = 0;
            if (query != null && query.contains("$skiptoken=")) {
                skip = Integer.parseInt(query.replaceAll(".*\\$skiptoken=(\\d+).*", "$1"));
            }
            ObjectNode page = JSON.createObjectNode().put("@odata.context",
                    "https://graph.microsoft.com/v1.0/$metadata#directoryObjects");
            ArrayNode value = page.putArray("value");
            members.stream().skip(skip).limit(PAGE).forEach(value::add);
            if (skip + PAGE < members.size()) {
                String host = "https://" + exchange.getRequestHeaders().getFirst("Host");
                page.put("@odata.nextLink", host + path.group(0) + "?$select=id,mail,userPrincipalName,displayName"
                        + "&$skiptoken=" + (skip + PAGE));
            }
            send(exchange, 200, page);
        }
    }

    void control(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = CONTROL.matcher(exchange.getRequestURI().getPath());
            if (!path.matches() || !exchange.getRequestMethod().equals("PUT")) {
                send(exchange, 400, error("BadRequest", "PUT /emulator/graph/groups/{id} with {\"members\":[...]}"));
                return;
            }
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            List<JsonNode> members = new java.util.ArrayList<>();
            body.path("members").forEach(member -> members.add(((ObjectNode) member.deepCopy())
                    .put("@odata.type", "#microsoft.graph.user")));
            groups.put(path.group(1).toLowerCase(java.util.Locale.ROOT), members);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** For tests in the same process. */
    void setMembers(String groupId, List<JsonNode> members) {
        groups.put(groupId.toLowerCase(java.util.Locale.ROOT), List.copyOf(members));
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("code", code).put("message", message);
        return error;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
