package org.dsvmpools.azure;

import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.dsvmpools.onboarding.GroupMembers;

/**
 * {@link GroupMembers} on Microsoft Graph's REST API ({@code GET /v1.0/groups/{id}/members}, following
 * {@code @odata.nextLink}), with a token for Graph from the app's identity. The identity needs the
 * {@code GroupMember.Read.All} application permission. Against the local emulator the token is its fixed one.
 */
public final class GraphGroupMembers implements GroupMembers {
    public static final String GRAPH = "https://graph.microsoft.com";
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
        String token = arm.get().credential().getTokenSync(new TokenRequestContext().addScopes(GRAPH + "/.default"))
                .getToken();
        List<Member> members = new ArrayList<>();
        String next = endpoint + "/v1.0/groups/" + groupId + "/members?$select=id,mail,userPrincipalName,displayName";
        while (next != null) {
            JsonNode page = get(next, token, groupId);
            for (JsonNode item : page.path("value")) {
                String email = item.hasNonNull("mail") ? item.path("mail").asText()
                        : item.path("userPrincipalName").asText(null);
                if (item.path("@odata.type").asText("#microsoft.graph.user").equals("#microsoft.graph.user")) {
                    members.add(new Member(item.path("id").asText(), email, item.path("displayName").asText(null)));
                }
            }
            next = page.hasNonNull("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
        }
        return members;
    }

    private JsonNode get(String url, String token, String groupId) {
        HttpRequest request = new HttpRequest(HttpMethod.GET, url).setHeader(HttpHeaderName.AUTHORIZATION,
                "Bearer " + token).setHeader(HttpHeaderName.ACCEPT, "application/json");
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
