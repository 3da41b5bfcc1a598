package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.dsvmpools.kit.arm.ArmContract;
import org.dsvmpools.kit.LoopbackServers;
import org.dsvmpools.kit.TlsCertificate;

/**
 * The local Azure: ARM over HTTPS (the SDK refuses a token over plain http) and the Azure Files data plane over
 * http, both on loopback. {@code POST /emulator/faults} on the ARM port sets the injected faults;
 * {@code GET /emulator/requests} lists the ARM requests answered so far ({@code DELETE} clears the list).
 */
public final class AzureEmulator implements AutoCloseable {
    /** The tenant the emulator's Entra ID serves. */
    public static final String ENTRA_TENANT = EntraApi.TENANT;
    /** The object id in the tokens the metadata endpoint gives the machine that asks without a client id. */
    public static final String CONTROL_PLANE_PRINCIPAL = EntraApi.CONTROL_PLANE_PRINCIPAL;
    private final HttpsServer arm;
    private final HttpServer files;
    private Faults faults;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final RequestLog requests = new RequestLog();
    private final RequestLog fileRequests = new RequestLog();
    private GraphApi graph;
    private EntraApps apps;
    private EntraApi entra;
    private FilesApi filesApi;
    private ArmApi armApi;

    private AzureEmulator(HttpsServer arm, HttpServer files) {
        this.arm = arm;
        this.files = files;
    }

    /**
     * @param armPort   0 for any free port
     * @param filesPort 0 for any free port
     * @param timeScale Azure's durations are multiplied by this (0.001: a four-minute VM start takes 0.24 s)
     */
    public static AzureEmulator start(int armPort, int filesPort, double timeScale, Path dataDir, SSLContext tls)
            throws IOException {
        return start(armPort, filesPort, timeScale, dataDir, tls, org.dsvmpools.kit.SystemClock.utc());
    }

    /** As above, with Azure's clock: a test that fixes the app's time gives the emulator the same clock. */
    public static AzureEmulator start(int armPort, int filesPort, double timeScale, Path dataDir, SSLContext tls,
                                      Clock clock) throws IOException {
        HttpsServer arm = LoopbackServers.https(armPort, tls);
        HttpServer files = LoopbackServers.http(filesPort);
        AzureEmulator emulator = new AzureEmulator(arm, files);
        String armUrl = "https://127.0.0.1:" + arm.getAddress().getPort();
        String filesUrl = "http://127.0.0.1:" + files.getAddress().getPort();
        TimeModel time = new TimeModel(clock, timeScale);
        Faults faults = new Faults();
        emulator.faults = faults;
        EntraApps apps = new EntraApps();
        emulator.apps = apps;
        // One signing key: Graph checks the bearer Entra issued, and takes the roles from it (#27).
        Jwt jwt = new Jwt();
        emulator.graph = new GraphApi(faults, apps, jwt, clock);
        EntraApi entra = new EntraApi(jwt, apps, emulator.graph::userSigningInAs, clock);
        entra.graphRoles(emulator.graph::grantedRoles);
        emulator.entra = entra;
        StorageAccounts storage = new StorageAccounts(dataDir, filesUrl);
        ArmContract contract = ArmContract.withDefaultSchemas();
        System.err.println("emulator: " + contract.describe());
        ArmApi armApi = new ArmApi(time, faults, storage, armUrl, emulator.requests, contract);
        emulator.armApi = armApi;
        entra.scaleSets(armApi::scaleSetPrincipal);
        arm.createContext("/", armApi);
        arm.createContext("/emulator/requests", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestMethod().equals("DELETE") ? new byte[0]
                        : emulator.requests.toJson().toString().getBytes(StandardCharsets.UTF_8);
                if (exchange.getRequestMethod().equals("DELETE")) {
                    emulator.requests.clear();
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(body.length == 0 ? 204 : 200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            }
        });
        arm.createContext("/v1.0/", emulator.graph::handle);
        arm.createContext("/emulator/graph/", emulator.graph::control);
        arm.createContext("/" + EntraApi.TENANT + "/", entra::handle);
        arm.createContext("/metadata/identity/", entra::handle);
        arm.createContext("/devicelogin", entra::handle);
        arm.createContext("/api/retail/prices", new RetailPricesApi()::handle);
        arm.createContext("/vm/", entra::handle);
        arm.createContext("/emulator/faults", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                faults.configure(new ObjectMapper().readTree(body.length == 0
                        ? "{}".getBytes(StandardCharsets.UTF_8) : body));
                exchange.sendResponseHeaders(204, -1);
            }
        });
        emulator.filesApi = new FilesApi(storage, emulator.fileRequests, faults, clock);
        files.createContext("/", emulator.filesApi);
        arm.setExecutor(emulator.executor);
        files.setExecutor(emulator.executor);
        arm.start();
        files.start();
        return emulator;
    }

    /** Runs the emulator alone: {@code --arm-port 7443 --files-port 7444 --time-scale 0.01 --data-dir DIR}. */
    public static void main(String[] args) throws Exception {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Path dataDir = Path.of(options.getOrDefault("data-dir", ".dsvmpools")).toAbsolutePath();
        AzureEmulator emulator = start(Integer.parseInt(options.getOrDefault("arm-port", "7443")),
                Integer.parseInt(options.getOrDefault("files-port", "7444")),
                Double.parseDouble(options.getOrDefault("time-scale", "0.01")), dataDir,
                TlsCertificate.loadOrCreate(dataDir).serverContext());
        System.out.println("ARM " + emulator.armEndpoint() + ", Files " + emulator.filesEndpoint());
        Thread.currentThread().join();
    }

    /** Sets the injected faults, as {@code POST /emulator/faults} does (see {@link Faults}). */
    public void configureFaults(String json) throws IOException {
        faults.configure(new ObjectMapper().readTree(json));
    }

    /**
     * Makes a principal known to the emulator's directory, so that role assignments to it are accepted (ARM
     * refuses an assignment to a principal it cannot find): the control plane's identity, for instance.
     */
    public void registerPrincipal(String principalId) {
        armApi.registerPrincipal(principalId);
    }

    /** The ARM requests answered so far. */
    public RequestLog requests() {
        return requests;
    }

    /**
     * Sets a Microsoft Graph group's members: objects with {@code id} and, for users, {@code mail},
     * {@code userPrincipalName} and {@code displayName}; {@code @odata.type} for other kinds (a nested group is
     * {@code #microsoft.graph.group} with the id of a group set the same way).
     */
    public void setGroupMembers(String groupId, java.util.List<com.fasterxml.jackson.databind.JsonNode> members) {
        graph.setMembers(groupId, members);
    }

    /**
     * The Graph application roles granted to the control plane's identity (by default Group.Read.All and
     * User.Read.All): its tokens issued from now on carry them, and Graph reads them from the token.
     */
    public void setGraphRoles(java.util.Set<String> roles) {
        graph.setRoles(roles);
    }

    /**
     * What the control plane's identity gets from the metadata endpoint for {@code resource} (Graph's:
     * {@code https://graph.microsoft.com}), as a test calling Graph directly needs one.
     */
    public String controlPlaneToken(String resource) {
        return entra.controlPlaneToken(graphEndpoint(), resource);
    }

    /** How long Graph keeps a delta link valid (seven days); zero makes every link issued already expired. */
    public void setGraphDeltaLinkAge(java.time.Duration age) {
        graph.setDeltaLinkAge(age);
    }

    /**
     * The subnet the app's Files requests come from (the Function App's VNet integration): each pool's storage
     * firewall is then checked against it, and a request it does not admit is 403, as Azure answers it. Null: not
     * checked, as for a caller on the account's own network.
     */
    public void setFilesCallerSubnet(String subnetId) {
        filesApi.callerSubnet(subnetId);
    }

    /** At most this many Files requests a second per share (0: no limit); beyond it 503 ServerBusy. */
    public void setFilesIopsLimit(int perSecond) {
        filesApi.iopsLimit(perSecond);
    }

    /**
     * Registers an app registration ({@code {displayName, web:{redirectUris}, federatedIdentityCredentials}}), as
     * its operator would; {@code ownedByControlPlane}: the control plane's identity is among its owners.
     */
    public void registerApplication(String appId, com.fasterxml.jackson.databind.JsonNode application,
                                    boolean ownedByControlPlane) {
        apps.register(appId, application, ownedByControlPlane);
    }

    /** The application as Graph holds it now, or null. */
    public com.fasterxml.jackson.databind.JsonNode application(String appId) {
        return apps.byAppId(appId).map(app -> (com.fasterxml.jackson.databind.JsonNode) app.deepCopy()).orElse(null);
    }

    /**
     * A user-assigned managed identity made outside the pools (the control plane's template makes the hub's):
     * scale sets may carry it, and the metadata endpoint issues its tokens (subject: its principal id).
     */
    public void registerManagedIdentity(String resourceId, String clientId, String principalId) {
        armApi.registerUserAssignedIdentity(resourceId, clientId, principalId);
        apps.registerIdentity(clientId, principalId);
    }

    /**
     * An access token for an API ({@code api://<client id>}) issued to a directory user (by mail or user principal
     * name) with these app roles, as a caller gets one with {@code az account get-access-token}; a negative
     * lifetime gives an expired one.
     */
    public String entraAccessToken(String audience, String login, java.util.Set<String> roles,
                                   java.time.Duration lifetime) {
        com.fasterxml.jackson.databind.JsonNode user = graph.userSigningInAs(login).orElseThrow(
                () -> new IllegalArgumentException("no directory user signs in as " + login));
        return entra.accessToken(graphEndpoint(), audience, user, roles, lifetime);
    }

    /**
     * The instance metadata service address of a stand-in instance of this scale set: its managed-identity tokens
     * name the scale set's system-assigned principal.
     */
    public String instanceMetadataService(String resourceGroup, String scaleSet) {
        return graphEndpoint() + "/vm/" + resourceGroup + "/" + scaleSet;
    }

    /** The tenant's OpenID Connect authority, as {@code https://login.microsoftonline.com/{tenant}/v2.0} is. */
    public String entraAuthority() {
        return EntraApi.issuer(graphEndpoint());
    }

    /** The Graph subscriptions made so far. */
    public java.util.List<com.fasterxml.jackson.databind.JsonNode> graphSubscriptions() {
        return graph.subscriptions();
    }

    /** The Azure Retail Prices API, as {@code https://prices.azure.com/api/retail/prices} serves it. */
    public String retailPricesEndpoint() {
        return graphEndpoint() + "/api/retail/prices";
    }

    /** Graph's base URL here: the same host and port as ARM. */
    public String graphEndpoint() {
        return armEndpoint().replaceAll("/+$", "");
    }

    /** The Azure Files requests answered so far, with the query (restype, comp) in the path. */
    public RequestLog fileRequests() {
        return fileRequests;
    }

    public String armEndpoint() {
        return "https://127.0.0.1:" + arm.getAddress().getPort() + "/";
    }

    public String filesEndpoint() {
        return "http://127.0.0.1:" + files.getAddress().getPort();
    }

    @Override
    public void close() {
        arm.stop(0);
        files.stop(0);
        executor.shutdownNow();
    }
}
