package org.dsvmpools.azure;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.dsvmpools.onboarding.GroupMembers;

/**
 * {@link GroupMembers} on Microsoft Graph's REST API: {@code GET /v1.0/groups/{id}/members} and the members delta
 * query, following {@code @odata.nextLink}, with a token for Graph from the app's identity. The identity needs the
 * {@code GroupMember.Read.All} application permission. Against the local emulator the token is its fixed one.
 */
public final class GraphGroupMembers implements GroupMembers {
    public static final String GRAPH = "https://graph.microsoft.com";
    /** getByIds takes at most this many ids per request. */
    static final int BY_IDS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final Supplier<ArmClients> arm;

    /** @param arm the identity and HTTP client of the ARM clients, built on first use */
    public GraphGroupMembers(String endpoint, Supplier<ArmClients> arm) {
        this.endpoint = endpoint.replaceAll("/+$", "");
        this.arm = arm;
    }

    @Override
    public List<Member> members(String groupId) {
        String token = token();
        List<Member> members = new ArrayList<>();
        String next = endpoint + "/v1.0/groups/" + groupId + "/members?$select=id,mail,userPrincipalName,displayName";
        while (next != null) {
            JsonNode page = get(next, token, groupId);
            for (JsonNode item : page.path("value")) {
                if (item.path("@odata.type").asText("#microsoft.graph.user").equals("#microsoft.graph.user")) {
                    members.add(member(item));
                }
            }
            next = page.hasNonNull("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
        }
        return members;
    }

    /**
     * {@code GET /v1.0/groups/delta?$filter=id eq '{id}'&$select=members}, following {@code @odata.nextLink} to the
     * {@code @odata.deltaLink}. Members come as object ids only (removed ones marked {@code @removed}); the added
     * ones' mail and name are read with {@code POST /v1.0/directoryObjects/getByIds}, up to 1,000 at a time.
     */
    @Override
    public Delta changes(String groupId, String deltaLink) {
        String token = token();
        boolean complete = deltaLink == null;
        String next = complete ? endpoint + "/v1.0/groups/delta?$filter=" + URLEncoder.encode("id eq '" + groupId
                + "'", StandardCharsets.UTF_8).replace("+", "%20") + "&$select=members" : deltaLink;
        Set<String> added = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        boolean groupSeen = false;
        String link = null;
        while (next != null) {
            JsonNode page = get(next, token, groupId);
            for (JsonNode group : page.path("value")) {
                if (!groupId.equalsIgnoreCase(group.path("id").asText())) {
                    continue;
                }
                groupSeen = true;
                for (JsonNode member : group.path("members@delta")) {
                    String id = member.path("id").asText();
                    if (member.has("@removed")) {
                        removed.add(id);
                        added.remove(id);
                    } else {
                        added.add(id);
                        removed.remove(id);
                    }
                }
            }
            link = page.path("@odata.deltaLink").asText(null);
            next = page.hasNonNull("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
        }
        if (complete && !groupSeen) {
            throw new GroupNotFoundException(groupId);
        }
        return new Delta(usersByIds(List.copyOf(added), token, groupId), List.copyOf(removed), complete, link);
    }

    private List<Member> usersByIds(List<String> ids, String token, String groupId) {
        List<Member> users = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BY_IDS) {
            ObjectNode body = JSON.createObjectNode();
            ids.subList(from, Math.min(ids.size(), from + BY_IDS)).forEach(body.putArray("ids")::add);
            body.putArray("types").add("user");
            JsonNode page = send(new HttpRequest(HttpMethod.POST, endpoint + "/v1.0/directoryObjects/getByIds")
                    .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json").setBody(body.toString()), token,
                    groupId);
            page.path("value").forEach(item -> users.add(member(item)));
        }
        return users;
    }

    private static Member member(JsonNode item) {
        String email = item.hasNonNull("mail") ? item.path("mail").asText() : item.path("userPrincipalName").asText(null);
        return new Member(item.path("id").asText(), email, item.path("displayName").asText(null));
    }

    private String token() {
        return arm.get().credential().getTokenSync(new TokenRequestContext().addScopes(GRAPH + "/.default"))
                .getToken();
    }

    private JsonNode get(String url, String token, String groupId) {
        return send(new HttpRequest(HttpMethod.GET, url), token, groupId);
    }

    private JsonNode send(HttpRequest request, String token, String groupId) {
        request.setHeader(HttpHeaderName.AUTHORIZATION, "Bearer " + token)
                .setHeader(HttpHeaderName.ACCEPT, "application/json");
        try (HttpResponse response = arm.get().http().sendSync(request, Context.NONE)) {
            if (response.getStatusCode() == 404) {
                throw new GroupNotFoundException(groupId);
            }
            if (response.getStatusCode() != 200) {
                throw new IllegalStateException("Microsoft Graph answered " + response.getStatusCode() + " for group "
                        + groupId);
            }
            return JSON.readTree(response.getBodyAsBinaryData().toBytes());
        } catch (IOException e) {
            throw new IllegalStateException("Microsoft Graph's answer is unreadable: " + e.getMessage(), e);
        }
    }
}
