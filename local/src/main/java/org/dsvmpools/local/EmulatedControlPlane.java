package org.dsvmpools.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.dsvmpools.kit.AzuriteProcess;
import org.dsvmpools.emulator.AzureEmulator;

/**
 * What a deployed control plane has in Azure and the dev stack has in the emulator, so that every optional
 * setting is on locally as it is in a real installation: the Function App's subnet (with the storage service
 * endpoint pools' firewalls need), its identity (a principal the emulator's directory knows), the account of
 * its {@code usage-reports} queue, and JupyterHub's sign-in: the hub app registration, owned by the control plane,
 * trusting the hub identity every pool's instances carry. The network and storage are made with ARM requests, so
 * the emulator holds them to Azure's contract too.
 */
final class EmulatedControlPlane {
    static final String GROUP = "dsvmpools-control";
    static final String LOCATION = "westeurope";
    /** The Function App's identity in the emulator's directory: a fixed id, as a deployment's would be. */
    static final String PRINCIPAL_ID = "6d3c1c61-8d2f-4b8c-9a0e-2f1e8e5a7b10";
    /** The hub app registration and the user-assigned identity its federated credential trusts: fixed ids. */
    static final String HUB_APP_ID = "4a1f8e2d-7c3b-4e9a-b6d5-0c2f1e3d4a5b";
    static final String HUB_IDENTITY_CLIENT_ID = "5b2a9f3e-8d4c-4fab-87e6-1d3a2f4e5b6c";
    static final String HUB_IDENTITY_PRINCIPAL_ID = "6c3bafe4-9e5d-4abc-98f7-2e4b3a5f6c7d";
    /** The audience of the instances' tokens for POST /api/usage: the API's app registration. */
    static final String USAGE_AUDIENCE = "api://8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e";
    private static final String NETWORK_API = "2025-03-01";
    private static final String STORAGE_API = "2025-06-01";
    private static final String RESOURCES_API = "2025-04-01";

    /**
     * The front door's app registration: its redirect URI the local host's callback, its federated credential
     * trusting the control plane's own identity, so the door signs users in with no secret, as in Azure.
     */
    static final String DOOR_APP_ID = "7e4d2c1b-0a9f-4e8d-b7c6-5a4b3c2d1e0f";
    /** A directory user the quick start signs in with at the front door. */
    static final String SAMPLE_USER = "alice@contoso.com";
    static final String SAMPLE_USER_ID = "a1b2c3d4-0001-4000-8000-00000000a11c";
    private static final String ADMIN_ROLE_ID = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    /**
     * A group of sample directory users (alice and bob at contoso.com), so the quick start has people to add to a
     * pool and to sign in as; a pool may follow it as its roster group.
     */
    static final String SAMPLE_GROUP = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

    private final String subscription;
    private final int hostPort;

    EmulatedControlPlane(String subscription, int hostPort) {
        this.subscription = subscription;
        this.hostPort = hostPort;
    }

    /** The app settings that point pools at this control plane; the operator's own values win. */
    Map<String, String> settings(int azuritePort, int armPort) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("DSVMPOOLS_CONTROL_PLANE_SUBNET_ID", subnetId());
        settings.put("DSVMPOOLS_CONTROL_PLANE_PRINCIPAL_ID", PRINCIPAL_ID);
        settings.put("DSVMPOOLS_USAGE_QUEUE_URL", "http://127.0.0.1:" + (azuritePort + 1) + "/"
                + AzuriteProcess.ACCOUNT + "/usage-reports");
        settings.put("DSVMPOOLS_USAGE_QUEUE_ID", queueId());
        settings.put("DSVMPOOLS_HUB_CLIENT_ID", HUB_APP_ID);
        settings.put("DSVMPOOLS_HUB_IDENTITY_ID", hubIdentityId());
        settings.put("DSVMPOOLS_HUB_IDENTITY_CLIENT_ID", HUB_IDENTITY_CLIENT_ID);
        settings.put("DSVMPOOLS_ENTRA_AUTHORITY", authority(armPort));
        // Agents report over HTTPS with their instance's token, bound to their own pool, as in Azure.
        settings.put("DSVMPOOLS_USAGE_AUDIENCE", USAGE_AUDIENCE);
        settings.put("DSVMPOOLS_USAGE_URL", "http://127.0.0.1:" + hostPort + "/api/usage");
        settings.put("DSVMPOOLS_DOOR_CLIENT_ID", DOOR_APP_ID);
        settings.put("DSVMPOOLS_DOOR_URL", doorUrl());
        settings.put("DSVMPOOLS_RETAIL_PRICES_URL", "https://127.0.0.1:" + armPort + "/api/retail/prices");
        return settings;
    }

    /**
     * Creates the group, network and account in the emulator and makes the identity known. The subnet's
     * endpoint is {@code Microsoft.Storage.Global}: a regional one reaches only its own and the paired region,
     * and pools may be anywhere.
     */
    void create(AzureEmulator emulator, SSLContext trust) throws IOException, InterruptedException {
        emulator.registerPrincipal(PRINCIPAL_ID);
        emulator.registerManagedIdentity(hubIdentityId(), HUB_IDENTITY_CLIENT_ID, HUB_IDENTITY_PRINCIPAL_ID);
        ObjectNode app = new ObjectMapper().createObjectNode().put("displayName", "dsvm-pools JupyterHub");
        app.putObject("web").putArray("redirectUris");
        app.putArray("federatedIdentityCredentials").addObject().put("name", "pool-instances")
                .put("issuer", emulator.entraAuthority()).put("subject", HUB_IDENTITY_PRINCIPAL_ID)
                .putArray("audiences").add("api://AzureADTokenExchange");
        emulator.registerApplication(HUB_APP_ID, app, true);
        // A public client too ("Allow public client flows"), exposing one scope: dsvmpools connect signs users in
        // with the device code flow for a token to the door's own API (docs/sign-in.md).
        ObjectNode door = new ObjectMapper().createObjectNode().put("displayName", "dsvm-pools front door")
                .put("isFallbackPublicClient", true);
        door.putArray("identifierUris").add("api://" + DOOR_APP_ID);
        door.putObject("api").putArray("oauth2PermissionScopes").addObject().put("value", "Pools.Connect")
                .put("id", "2c1b0a9f-8e7d-4c6b-a5f4-e3d2c1b0a9f8").put("type", "User")
                .put("userConsentDisplayName", "Connect to your pools over SSH");
        door.putObject("web").putArray("redirectUris").add(doorUrl() + "/door/signed-in");
        // Its one app role, Pools.Admin, is the installation's admins' (every pool's roster in the portal); the
        // sample user alice has it, bob does not.
        door.putArray("appRoles").addObject().put("id", ADMIN_ROLE_ID).put("value", "Pools.Admin")
                .put("displayName", "dsvm-pools admin").putArray("allowedMemberTypes").add("User");
        door.putArray("appRoleAssignedTo").addObject().put("principalId", SAMPLE_USER_ID).put("appRoleId", ADMIN_ROLE_ID);
        door.putArray("federatedIdentityCredentials").addObject().put("name", "function-app")
                .put("issuer", emulator.entraAuthority()).put("subject", AzureEmulator.CONTROL_PLANE_PRINCIPAL)
                .putArray("audiences").add("api://AzureADTokenExchange");
        emulator.registerApplication(DOOR_APP_ID, door, false);
        ObjectMapper json = new ObjectMapper();
        emulator.setGroupMembers(SAMPLE_GROUP, java.util.List.of(
                json.createObjectNode().put("id", SAMPLE_USER_ID).put("mail", SAMPLE_USER)
                        .put("userPrincipalName", SAMPLE_USER).put("displayName", "Alice Example"),
                json.createObjectNode().put("id", "b2c3d4e5-0002-4000-8000-000000000b0b").put("mail", "bob@contoso.com")
                        .put("userPrincipalName", "bob@contoso.com").put("displayName", "Bob Example")));
        HttpClient http = HttpClient.newBuilder().sslContext(trust).build();
        String arm = emulator.armEndpoint().replaceAll("/+$", "");
        put(http, arm + groupId() + "?api-version=" + RESOURCES_API, "{\"location\":\"" + LOCATION + "\"}");
        put(http, arm + networkId() + "?api-version=" + NETWORK_API, """
                {"location":"%s","properties":{"addressSpace":{"addressPrefixes":["10.100.0.0/16"]},
                "subnets":[{"name":"functions","properties":{"addressPrefix":"10.100.0.0/24",
                "serviceEndpoints":[{"service":"Microsoft.Storage.Global"}]}}]}}""".formatted(LOCATION));
        put(http, arm + accountId() + "?api-version=" + STORAGE_API, """
                {"location":"%s","sku":{"name":"Standard_LRS"},"kind":"StorageV2",
                "properties":{"minimumTlsVersion":"TLS1_2","allowSharedKeyAccess":false}}""".formatted(LOCATION));
        put(http, arm + queueId() + "?api-version=" + STORAGE_API, "{\"properties\":{}}");
    }

    private static void put(HttpClient http, String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer dev-stack").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("the emulator refused the control plane's " + url + ": "
                    + response.statusCode() + " " + response.body());
        }
    }

    private String doorUrl() {
        return "http://127.0.0.1:" + hostPort + "/api";
    }

    private static String authority(int armPort) {
        return "https://127.0.0.1:" + armPort + "/" + AzureEmulator.ENTRA_TENANT + "/v2.0";
    }

    String hubIdentityId() {
        return groupId() + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dsvmpools-hub";
    }

    private String groupId() {
        return "/subscriptions/" + subscription + "/resourceGroups/" + GROUP;
    }

    private String networkId() {
        return groupId() + "/providers/Microsoft.Network/virtualNetworks/control";
    }

    String subnetId() {
        return networkId() + "/subnets/functions";
    }

    private String queueId() {
        return accountId() + "/queueServices/default/queues/usage-reports";
    }

    private String accountId() {
        return groupId() + "/providers/Microsoft.Storage/storageAccounts/dsvmpoolscontrol";
    }
}
