package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant's app registrations and managed identities, as Graph's {@code application} resource shapes them:
 * {@code {id, appId, displayName, web:{redirectUris}, federatedIdentityCredentials:[{name, issuer, subject,
 * audiences}]}}. Whether the control plane's identity owns an application decides what
 * {@code Application.ReadWrite.OwnedBy} lets it do.
 */
final class EntraApps {
    /** Entra's limits for a single-tenant app's web redirect URIs. */
    static final int MAX_REDIRECT_URIS = 256;
    static final int MAX_REDIRECT_URI_LENGTH = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ObjectNode> byAppId = new ConcurrentHashMap<>();
    private final Map<String, Boolean> ownedByControlPlane = new ConcurrentHashMap<>();
    /** A user-assigned identity's client id, and its principal (object) id, which its tokens carry as subject. */
    private final Map<String, String> identities = new ConcurrentHashMap<>();

    /** Registers or replaces an application; a missing {@code id} gets one. */
    synchronized ObjectNode register(String givenAppId, JsonNode given, boolean owned) {
        String appId = givenAppId.toLowerCase(Locale.ROOT);
        ObjectNode app = given.isObject() ? (ObjectNode) given.deepCopy() : JSON.createObjectNode();
        app.put("appId", appId);
        if (!app.hasNonNull("id")) {
            app.put("id", Optional.ofNullable(byAppId.get(appId)).map(a -> a.path("id").asText())
                    .orElse(UUID.randomUUID().toString()));
        }
        if (!app.path("web").path("redirectUris").isArray()) {
            app.withObject("/web").putArray("redirectUris");
        }
        if (!app.path("federatedIdentityCredentials").isArray()) {
            app.putArray("federatedIdentityCredentials");
        }
        byAppId.put(appId, app);
        ownedByControlPlane.put(appId, owned);
        return app;
    }

    Optional<ObjectNode> byAppId(String appId) {
        return Optional.ofNullable(byAppId.get(appId.toLowerCase(Locale.ROOT)));
    }

    /**
     * The application a scope's resource names: by one of its {@code identifierUris} ({@code api://<app id>}) or
     * its bare app id, as Entra resolves the resource of a {@code scope}.
     */
    Optional<ObjectNode> byResource(String uri) {
        return byAppId.values().stream().filter(app -> app.path("appId").asText().equalsIgnoreCase(uri)
                || java.util.stream.StreamSupport.stream(app.path("identifierUris").spliterator(), false)
                        .anyMatch(identifier -> identifier.asText().equalsIgnoreCase(uri))).findFirst();
    }

    Optional<ObjectNode> byObjectId(String id) {
        return byAppId.values().stream().filter(app -> app.path("id").asText().equalsIgnoreCase(id)).findFirst();
    }

    boolean ownedByControlPlane(ObjectNode app) {
        return ownedByControlPlane.getOrDefault(app.path("appId").asText(), false);
    }

    List<String> redirectUris(ObjectNode app) {
        List<String> uris = new ArrayList<>();
        app.path("web").path("redirectUris").forEach(uri -> uris.add(uri.asText()));
        return uris;
    }

    /** The reason Entra refuses these redirect URIs, or empty when it takes them. */
    static Optional<String> invalidRedirectUris(JsonNode uris) {
        if (!uris.isArray()) {
            return Optional.of("web.redirectUris must be an array of strings");
        }
        if (uris.size() > MAX_REDIRECT_URIS) {
            return Optional.of("an application has at most " + MAX_REDIRECT_URIS + " redirect URIs");
        }
        for (JsonNode uri : uris) {
            String text = uri.asText();
            if (text.length() > MAX_REDIRECT_URI_LENGTH || text.contains("#") || text.contains("*")) {
                return Optional.of("redirect URI '" + text + "' is too long or has a fragment or a wildcard");
            }
            try {
                URI parsed = new URI(text);
                boolean loopback = "http".equals(parsed.getScheme()) && ("localhost".equals(parsed.getHost())
                        || "127.0.0.1".equals(parsed.getHost()));
                if (!"https".equals(parsed.getScheme()) && !loopback) {
                    return Optional.of("redirect URI '" + text + "' must use https (http only for localhost)");
                }
            } catch (java.net.URISyntaxException e) {
                return Optional.of("redirect URI '" + text + "' is not a URI");
            }
        }
        return Optional.empty();
    }

    synchronized void setRedirectUris(ObjectNode app, JsonNode uris) {
        ArrayNode list = app.withObject("/web").putArray("redirectUris");
        uris.forEach(uri -> list.add(uri.asText()));
    }

    void registerIdentity(String clientId, String principalId) {
        identities.put(clientId.toLowerCase(Locale.ROOT), principalId.toLowerCase(Locale.ROOT));
    }

    Optional<String> principalOf(String clientId) {
        return Optional.ofNullable(identities.get(clientId.toLowerCase(Locale.ROOT)));
    }
}
