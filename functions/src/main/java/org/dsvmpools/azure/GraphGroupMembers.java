package org.dsvmpools.azure;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.dsvmpools.onboarding.GroupMembers;

/**
 * {@link GroupMembers} on Microsoft Graph's REST API, with a token for Graph from the app's identity, which needs
 * the application permissions {@link #PERMISSIONS} names. Against the local emulator the token is its fixed one.
 * <ul>
 *   <li>A full read is {@code GET /v1.0/groups/{id}/transitiveMembers}: members of nested groups count, users
 *       only (service principals, devices and the nested groups themselves have no account to get).</li>
 *   <li>Changes come from the members delta query. Its member entries carry ids only; the added users' mail and
 *       name are read with {@code GET /v1.0/users?$filter=id in (...)}, 15 ids a request, which
 *       {@code User.Read.All} covers ({@code directoryObjects/getByIds} would need {@code Directory.Read.All}).
 *       A nested group added or removed, or a delta link Graph no longer knows (410 or
 *       {@code syncStateNotFound} after seven days), makes the answer a full read.</li>
 *   <li>Throttling and Graph's outages are waited out as {@link GraphRequests} says.</li>
 * </ul>
 */
public final class GraphGroupMembers implements GroupMembers {
    public static final String GRAPH = "https://graph.microsoft.com";
    /**
     * The least application permissions that work, in one place for the docs and the deployment: Group.Read.All
     * because Graph subscriptions on groups require it (it also reads members and their delta, which alone would
     * need GroupMember.Read.All); User.Read.All because without a permission to read users, members come back as
     * ids only, and listing users by id needs it (Graph names no lesser application permission for either).
     */
    public static final List<String> PERMISSIONS = List.of("Group.Read.All", "User.Read.All");
    /** Graph refuses a $filter with more than 15 expressions. */
    static final int IDS_PER_LOOKUP = 15;
    private static final String USER = "#microsoft.graph.user";
    private static final String GROUP = "#microsoft.graph.group";

    private final String endpoint;
    private final GraphRequests graph;

    /** @param arm the identity and HTTP client of the ARM clients, built on first use */
    public GraphGroupMembers(String endpoint, Supplier<ArmClients> arm) {
        this.endpoint = endpoint.replaceAll("/+$", "");
        this.graph = new GraphRequests(arm);
    }

    @Override
    public List<Member> members(String groupId) {
                List<Member> members = new ArrayList<>();
        String next = endpoint + "/v1.0/groups/" + groupId
                + "/transitiveMembers?$select=id,mail,userPrincipalName,displayName&$top=999";
        while (next != null) {
            JsonNode page = graph.get(next, groupId);
            for (JsonNode item : page.path("value")) {
                if (item.path("@odata.type").asText(USER).equals(USER)) {
                    members.add(member(item));
                }
            }
            next = page.hasNonNull("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
        }
        return members;
    }

    @Override
    public String latestLink(String groupId) {
        JsonNode page = graph.get(deltaQuery(groupId) + "&$deltatoken=latest", groupId);
        return page.path("@odata.deltaLink").asText(null);
    }

    /**
     * {@code GET /v1.0/groups/delta?$filter=id eq '{id}'&$select=members}, following {@code @odata.nextLink} to the
     * {@code @odata.deltaLink}. Without a link, or with one Graph no longer knows, a full read.
     */
    @Override
    public Delta changes(String groupId, String deltaLink) {
        if (deltaLink == null) {
            return fullRead(groupId);
        }
                Set<String> added = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        String next = deltaLink;
        String link = null;
        while (next != null) {
            JsonNode page;
            try {
                page = graph.get(next, groupId);
            } catch (GraphRequests.ExpiredDeltaException expired) {
                return fullRead(groupId);
            }
            for (JsonNode group : page.path("value")) {
                if (!groupId.equalsIgnoreCase(group.path("id").asText())) {
                    continue;
                }
                for (JsonNode member : group.path("members@delta")) {
                    String type = member.path("@odata.type").asText(USER);
                    if (type.equals(GROUP)) {
                        // Who a nested group brings or takes away is not in this delta: read the group again.
                        return fullRead(groupId);
                    }
                    if (!type.equals(USER)) {
                        continue;
                    }
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
        return new Delta(usersByIds(List.copyOf(added), groupId), List.copyOf(removed), false, link);
    }

    /** Every member now, and a link from before the read, so that nothing changed during it is missed. */
    private Delta fullRead(String groupId) {
        String link = latestLink(groupId);
        return new Delta(members(groupId), List.of(), true, link);
    }

    private String deltaQuery(String groupId) {
        return endpoint + "/v1.0/groups/delta?$filter=" + URLEncoder.encode("id eq '" + groupId + "'",
                StandardCharsets.UTF_8).replace("+", "%20") + "&$select=members";
    }

    private List<Member> usersByIds(List<String> ids, String groupId) {
        List<Member> users = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_LOOKUP) {
            StringBuilder in = new StringBuilder();
            for (String id : ids.subList(from, Math.min(ids.size(), from + IDS_PER_LOOKUP))) {
                in.append(in.length() == 0 ? "" : ",").append('\'').append(id).append('\'');
            }
            JsonNode page = graph.get(endpoint + "/v1.0/users?$filter=" + URLEncoder.encode("id in (" + in + ")",
                    StandardCharsets.UTF_8).replace("+", "%20") + "&$select=id,mail,userPrincipalName,displayName",
                    groupId);
            page.path("value").forEach(item -> users.add(member(item)));
        }
        return users;
    }

    /**
     * A member's address: its mail, else its user principal name; a guest's UPN ({@code alice_contoso.com#EXT#@
     * tenant.onmicrosoft.com}) is turned back into the address it was invited with.
     */
    private static Member member(JsonNode item) {
        String email = item.hasNonNull("mail") ? item.path("mail").asText() : guestAddress(
                item.path("userPrincipalName").asText(null));
        return new Member(item.path("id").asText(), email, item.path("displayName").asText(null));
    }

    static String guestAddress(String upn) {
        if (upn == null || !upn.contains("#EXT#")) {
            return upn;
        }
        String invited = upn.substring(0, upn.indexOf("#EXT#"));
        int at = invited.lastIndexOf('_');
        return at < 0 ? invited : invited.substring(0, at) + "@" + invited.substring(at + 1);
    }

}
