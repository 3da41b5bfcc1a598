package org.dsvmpools.azure;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.dsvmpools.onboarding.GroupSubscriptions;

/**
 * {@link GroupSubscriptions} on {@code /v1.0/subscriptions}: {@code updated} changes of {@code groups/{id}}, with
 * change and lifecycle notifications both sent to the Event Grid partner topic the notification URL names
 * ({@code EventGrid:?azuresubscriptionid=...&resourcegroup=...&partnertopic=...&location=...}). Needs
 * {@code Group.Read.All}.
 */
public final class GraphGroupSubscriptions implements GroupSubscriptions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String endpoint;
    private final String notificationUrl;
    private final GraphRequests graph;

    public GraphGroupSubscriptions(String endpoint, String notificationUrl, Supplier<ArmClients> arm) {
        this.endpoint = endpoint.replaceAll("/+$", "") + "/v1.0/subscriptions";
        this.notificationUrl = notificationUrl;
        this.graph = new GraphRequests(arm);
    }

    @Override
    public List<Subscription> list() {
        List<Subscription> found = new ArrayList<>();
        String next = endpoint;
        while (next != null) {
            JsonNode page = graph.get(next, "the app's subscriptions");
            for (JsonNode item : page.path("value")) {
                String resource = item.path("resource").asText("");
                if (resource.matches("/?groups/[0-9a-fA-F-]{36}")) {
                    found.add(subscription(item));
                }
            }
            next = page.hasNonNull("@odata.nextLink") ? page.path("@odata.nextLink").asText() : null;
        }
        return found;
    }

    @Override
    public Subscription create(String groupId, Instant expires) {
        String body = JSON.createObjectNode().put("changeType", "updated").put("resource", "groups/" + groupId)
                .put("notificationUrl", notificationUrl).put("lifecycleNotificationUrl", notificationUrl)
                .put("expirationDateTime", expires.toString()).toString();
        return subscription(graph.send(HttpMethod.POST, endpoint, body, "a subscription on group " + groupId));
    }

    @Override
    public void renew(String subscriptionId, Instant expires) {
        graph.send(HttpMethod.PATCH, endpoint + "/" + subscriptionId, JSON.createObjectNode()
                .put("expirationDateTime", expires.toString()).toString(), "subscription " + subscriptionId);
    }

    @Override
    public void delete(String subscriptionId) {
        graph.send(HttpMethod.DELETE, endpoint + "/" + subscriptionId, null, "subscription " + subscriptionId);
    }

    private static Subscription subscription(JsonNode item) {
        String resource = item.path("resource").asText("");
        return new Subscription(item.path("id").asText(), resource.substring(resource.lastIndexOf('/') + 1)
                .toLowerCase(java.util.Locale.ROOT), Instant.parse(item.path("expirationDateTime").asText()));
    }
}
