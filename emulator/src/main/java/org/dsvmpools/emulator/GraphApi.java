package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.net.URLDecoder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Microsoft Graph that rosters use: {@code GET /v1.0/groups/{id}/members} (100 per page, with
 * {@code @odata.nextLink}; 404 {@code Request_ResourceNotFound} for an unknown group), the members delta query
 * {@code GET /v1.0/groups/delta?$filter=id eq '{id}'&$select=members} (member ids only, removed ones marked
 * {@code @removed}, ending in an {@code @odata.deltaLink} whose {@code $deltatoken} is the membership's version),
 * and {@code POST /v1.0/directoryObjects/getByIds}. Tests and a developer set a group's members with
 * {@code PUT /emulator/graph/groups/{id}} and a body {@code {"members":[{"id","mail","displayName"}]}}.
 */
final class GraphApi {
    static final int PAGE = 100;
    private static final Pattern MEMBERS = Pattern.compile("/v1\\.0/groups/([0-9a-fA-F-]{36})/members");
    private static final Pattern CONTROL = Pattern.compile("/emulator/graph/groups/([0-9a-fA-F-]{36})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, List<JsonNode>> groups = new ConcurrentHashMap<>();
    /** Every membership a group has had, oldest first: a delta token is an index into it. */
    private final Map<String, List<List<JsonNode>>> history = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> directory = new ConcurrentHashMap<>();

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                send(exchange, 401, error("InvalidAuthenticationToken", "Access token is empty."));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/v1.0/groups/delta") && exchange.getRequestMethod().equals("GET")) {
                delta(exchange);
            } else if (path.equals("/v1.0/directoryObjects/getByIds") && exchange.getRequestMethod().equals("POST")) {
                byIds(exchange);
            } else {
                members(exchange);
            }
        }
    }

    private void members(HttpExchange exchange) throws IOException {
        Matcher path = MEMBERS.matcher(exchange.getRequestURI().getPath());
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

    /** One page with the whole change: the emulator's groups are small enough. */
    private void delta(HttpExchange exchange) throws IOException {
        String query = URLDecoder.decode(Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""),
                StandardCharsets.UTF_8);
        Matcher filter = Pattern.compile("id eq '([0-9a-fA-F-]{36})'").matcher(query);
        ObjectNode page = JSON.createObjectNode().put("@odata.context",
                "https://graph.microsoft.com/v1.0/$metadata#groups(members)");
        ArrayNode value = page.putArray("value");
        if (!filter.find()) {
            send(exchange, 400, error("BadRequest", "this emulator answers delta queries filtered to one group"));
            return;
        }
        String group = filter.group(1).toLowerCase(java.util.Locale.ROOT);
        List<List<JsonNode>> versions = history.getOrDefault(group, List.of());
        if (!versions.isEmpty()) {
            Matcher token = Pattern.compile("\\$deltatoken=(\\d+)").matcher(query);
            List<JsonNode> before = token.find() ? versions.get(Integer.parseInt(token.group(1))) : List.of();
            List<JsonNode> now = versions.get(versions.size() - 1);
            java.util.Set<String> was = new java.util.HashSet<>();
            before.forEach(m -> was.add(m.path("id").asText()));
            java.util.Set<String> is = new java.util.HashSet<>();
            now.forEach(m -> is.add(m.path("id").asText()));
            ObjectNode item = value.addObject().put("id", group);
            ArrayNode changes = item.putArray("members@delta");
            now.stream().filter(m -> !was.contains(m.path("id").asText())).forEach(m -> changes.addObject()
                    .put("@odata.type", "#microsoft.graph.user").put("id", m.path("id").asText()));
            before.stream().filter(m -> !is.contains(m.path("id").asText())).forEach(m -> changes.addObject()
                    .put("@odata.type", "#microsoft.graph.user").put("id", m.path("id").asText())
                    .putObject("@removed").put("reason", "deleted"));
        }
        String host = "https://" + exchange.getRequestHeaders().getFirst("Host");
        page.put("@odata.deltaLink", host + "/v1.0/groups/delta?$filter=id%20eq%20'" + group + "'&$select=members"
                + "&$deltatoken=" + Math.max(0, versions.size() - 1));
        send(exchange, 200, page);
    }

    private void byIds(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        ObjectNode page = JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        body.path("ids").forEach(id -> Optional.ofNullable(directory.get(id.asText())).ifPresent(value::add));
        send(exchange, 200, page);
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
            body.path("members").forEach(members::add);
            setMembers(path.group(1), members);
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** A new membership (a new version for delta queries); members are users, as Graph types them. */
    synchronized void setMembers(String groupId, List<JsonNode> given) {
        List<JsonNode> members = given.stream().map(m -> (JsonNode) ((ObjectNode) m.deepCopy())
                .put("@odata.type", "#microsoft.graph.user")).toList();
        String group = groupId.toLowerCase(java.util.Locale.ROOT);
        groups.put(group, members);
        history.computeIfAbsent(group, g -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(members);
        members.forEach(m -> directory.put(m.path("id").asText(), m));
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
