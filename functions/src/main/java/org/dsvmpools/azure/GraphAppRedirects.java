package org.dsvmpools.azure;

import com.azure.core.http.HttpMethod;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.dsvmpools.provisioning.SignInRedirects;

/**
 * {@link SignInRedirects} on Microsoft Graph's {@code /v1.0/applications(appId='...')}: the app registration's
 * {@code web} settings are read whole and written back whole with the new redirect URIs, so the operator's home
 * page and logout URL stay. Needs {@code Application.ReadWrite.OwnedBy}, with the control plane's identity an
 * owner of the app registration: it can change that application and no other.
 */
public final class GraphAppRedirects implements SignInRedirects {
    /** The least Graph permission that updates an application: only those the app owns. */
    public static final String PERMISSION = "Application.ReadWrite.OwnedBy";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String application;
    private final GraphRequests graph;

    public GraphAppRedirects(String endpoint, String appId, Supplier<ArmClients> arm) {
        this.application = endpoint.replaceAll("/+$", "") + "/v1.0/applications(appId='" + appId + "')";
        this.graph = new GraphRequests(arm, List.of(PERMISSION + " (and to own the app registration)"));
    }

    @Override
    public List<String> current() {
        List<String> uris = new ArrayList<>();
        web().path("redirectUris").forEach(uri -> uris.add(uri.asText()));
        return uris;
    }

    @Override
    public void replace(List<String> redirectUris) {
        ObjectNode web = JSON.createObjectNode();
        JsonNode now = web();
        for (String kept : List.of("homePageUrl", "logoutUrl", "implicitGrantSettings")) {
            if (now.has(kept)) {
                web.set(kept, now.get(kept));
            }
        }
        redirectUris.forEach(web.putArray("redirectUris")::add);
        ObjectNode body = JSON.createObjectNode();
        body.set("web", web);
        graph.send(HttpMethod.PATCH, application, body.toString(), "the hub app registration's redirect URIs");
    }

    private JsonNode web() {
        return graph.get(application + "?$select=web", "the hub app registration").path("web");
    }
}
