package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Microsoft Entra ID's sign-in endpoints for one tenant, as a web app that signs users in meets them:
 * <ul>
 *   <li>{@code GET /{tenant}/v2.0/.well-known/openid-configuration} and {@code GET /{tenant}/discovery/v2.0/keys}
 *       (RS256 keys with a {@code kid});</li>
 *   <li>{@code GET /{tenant}/oauth2/v2.0/authorize}: an unknown {@code client_id} (AADSTS700016) or a
 *       {@code redirect_uri} the app does not list (AADSTS50011) is an error page, never a redirect; otherwise the
 *       sign-in form (filled in with a {@code login_hint}), whose {@code POST} (the account's mail or user
 *       principal name, among the directory's users) redirects to the app with {@code code} and {@code state} and
 *       sets the tenant's session cookie; with that cookie a later request is answered at once (single sign-on),
 *       unless {@code prompt=login} or a {@code login_hint} for another account asks for the form, and
 *       {@code prompt=none} without a session is {@code login_required} (AADSTS50058);</li>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/token} for {@code authorization_code}: the client authenticates with a
 *       {@code client_assertion} that one of the app's federated identity credentials trusts (issuer, subject,
 *       audience; AADSTS700211/700213/700212), a code is redeemed once (AADSTS54005), within ten minutes
 *       (AADSTS70008), with the same redirect URI, and with the PKCE verifier of its challenge (AADSTS501481; a
 *       challenge of the wrong size or method is refused at authorize, AADSTS501491, AADSTS50149);
 *       the answer carries an id token signed RS256 with {@code oid}, {@code tid}, {@code preferred_username},
 *       {@code email} (with the email scope), the request's {@code nonce}, and {@code roles}: the values of the
 *       app's {@code appRoles} its {@code appRoleAssignedTo} gives the user;</li>
 *   <li>{@code GET /metadata/identity/oauth2/token}: the instance metadata service's managed-identity token for a
 *       registered user-assigned identity ({@code client_id}), with {@code Metadata: true}.</li>
 * </ul>
 */
final class EntraApi {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    /**
     * The control plane's own identity: what the metadata endpoint answers without {@code client_id}, as Azure's
     * does for the system-assigned identity of the machine that asks.
     */
    static final String CONTROL_PLANE_PRINCIPAL = "5c0e1f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a";
    static final String CONTROL_PLANE_CLIENT = "6d1f2a3b-4c5d-4e6f-9a7b-8c9d0e1f2a3b";
    /** Azure CLI's well-known client id: a user's {@code az account get-access-token} names it in {@code azp}. */
    private static final String AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jwt jwt;
    private final EntraApps apps;
    private final Function<String, Optional<JsonNode>> users;
    private final Clock clock;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    /** Browsers signed in at the tenant: their session cookie's value to the account's sign-in name. */
    private final Map<String, String> browserSessions = new ConcurrentHashMap<>();
    private static final String SESSION_COOKIE = "ESTSAUTH";
    /** A scale set's system-assigned principal by resource group and name, for its instances' metadata service. */
    private volatile java.util.function.BiFunction<String, String, Optional<String>> scaleSets = (g, n) -> Optional.empty();

    /** What a code stands for until it is redeemed. */
    private record Grant(String clientId, String redirectUri, String challenge, String method, String nonce,
                         String scope, JsonNode user, Instant issued, boolean[] redeemed) {
    }

    /**
     * @param users the directory's user for a sign-in name (mail or user principal name, any case)
     */
    EntraApi(Jwt jwt, EntraApps apps, Function<String, Optional<JsonNode>> users, Clock clock) {
        this.jwt = jwt;
        this.apps = apps;
        this.users = users;
        this.clock = clock;
        this.deviceCodes = new EntraDeviceCodes(clock);
    }

    static String issuer(String host) {
        return host + "/" + TENANT + "/v2.0";
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = "https://" + exchange.getRequestHeaders().getFirst("Host");
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
            String base = "/" + TENANT;
            if (path.equals(base + "/v2.0/.well-known/openid-configuration")) {
                json(exchange, 200, discovery(host));
            } else if (path.equals(base + "/discovery/v2.0/keys")) {
                json(exchange, 200, jwt.jwks());
            } else if (path.equals(base + "/oauth2/v2.0/authorize")) {
                authorize(exchange, method, query);
            } else if (path.equals(base + "/oauth2/v2.0/devicecode") && method.equals("POST")) {
                deviceCode(exchange, host, form(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8)));
            } else if (path.equals("/devicelogin")) {
                // microsoft.com/devicelogin sends the browser on to the tenant, where its session cookie is.
                exchange.getResponseHeaders().set("Location", base + "/oauth2/deviceauth");
                exchange.sendResponseHeaders(302, -1);
            } else if (path.equals(base + "/oauth2/deviceauth")) {
                deviceSignIn(exchange, method);
            } else if (path.equals(base + "/oauth2/v2.0/token") && method.equals("POST")) {
                Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8));
                token(exchange, host, body);
            } else if (path.equals("/metadata/identity/oauth2/token") && method.equals("GET")) {
                managedIdentityToken(exchange, host, query);
            } else if (path.matches("/vm/[^/]+/[^/]+/metadata/identity/oauth2/token") && method.equals("GET")) {
                instanceToken(exchange, host, path.split("/"), query);
            } else {
                json(exchange, 404, oauthError("invalid_request", "AADSTS90012", "Unsupported path " + path));
            }
        }
    }

    private ObjectNode discovery(String host) {
        String oauth = host + "/" + TENANT + "/oauth2/v2.0";
        ObjectNode document = JSON.createObjectNode().put("issuer", issuer(host))
                .put("authorization_endpoint", oauth + "/authorize").put("token_endpoint", oauth + "/token")
                .put("device_authorization_endpoint", oauth + "/devicecode")
                .put("jwks_uri", host + "/" + TENANT + "/discovery/v2.0/keys")
                .put("end_session_endpoint", oauth + "/logout");
        document.putArray("response_types_supported").add("code").add("id_token").add("code id_token");
        document.putArray("subject_types_supported").add("pairwise");
        document.putArray("id_token_signing_alg_values_supported").add("RS256");
        document.putArray("scopes_supported").add("openid").add("profile").add("email").add("offline_access");
        document.putArray("token_endpoint_auth_methods_supported").add("client_secret_post")
                .add("private_key_jwt").add("client_secret_basic");
        return document;
    }

    private void authorize(HttpExchange exchange, String method, Map<String, String> query) throws IOException {
        String clientId = query.getOrDefault("client_id", "");
        Optional<ObjectNode> app = apps.byAppId(clientId);
        if (app.isEmpty()) {
            page(exchange, 400, "AADSTS700016: Application with identifier '" + clientId
                    + "' was not found in the directory.");
            return;
        }
        String redirect = query.getOrDefault("redirect_uri", "");
        if (!apps.redirectUris(app.get()).contains(redirect)) {
            page(exchange, 400, "AADSTS50011: The redirect URI '" + redirect + "' specified in the request does not"
                    + " match the redirect URIs configured for the application '" + clientId + "'.");
            return;
        }
        String state = query.get("state");
        if (!"code".equals(query.get("response_type"))) {
            redirect(exchange, redirect, Map.of("error", "unsupported_response_type", "error_description",
                    "AADSTS700054: response_type '" + query.get("response_type") + "' is not enabled for the"
                            + " application."), state);
            return;
        }
        String challengeMethod = query.getOrDefault("code_challenge_method", query.containsKey("code_challenge")
                ? "plain" : "");
        if (query.containsKey("code_challenge") && !challengeMethod.equals("S256") && !challengeMethod.equals("plain")) {
            redirect(exchange, redirect, Map.of("error", "invalid_request", "error_description",
                    "AADSTS50149: Invalid Code_Challenge_method parameter."), state);
            return;
        }
        // RFC 7636: a challenge is 43 to 128 characters (an S256 one is 43).
        int challengeSize = query.getOrDefault("code_challenge", "0123456789012345678901234567890123456789012").length();
        if (challengeSize < 43 || challengeSize > 128) {
            redirect(exchange, redirect, Map.of("error", "invalid_request", "error_description",
                    "AADSTS501491: InvalidCodeChallengeMethodInvalidSize - Invalid size of Code_Challenge parameter."),
                    state);
            return;
        }
        String hint = query.getOrDefault("login_hint", "");
        if (!method.equals("POST")) {
            // prompt=login and prompt=select_account interrupt single sign-on (Microsoft identity platform,
            // "Prompt behavior"): the form, with whoever is signed in not taken for granted.
            Optional<JsonNode> signedIn = signedIn(exchange).filter(user -> !"login".equals(query.get("prompt"))
                    && !"select_account".equals(query.get("prompt"))
                    && (hint.isEmpty() || names(user, hint)));
            if (signedIn.isPresent()) {
                // Single sign-on: the browser's session at the tenant is this account (and the hint names it).
                issue(exchange, clientId, redirect, query, challengeMethod, state, signedIn.get(), false);
            } else if ("none".equals(query.get("prompt"))) {
                redirect(exchange, redirect, Map.of("error", "login_required", "error_description",
                        "AADSTS50058: A silent sign-in request was sent but no user is signed in."), state);
            } else {
                signInForm(exchange, exchange.getRequestURI().getRawQuery(), hint, null);
            }
            return;
        }
        String login = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                .getOrDefault("login", "");
        Optional<JsonNode> user = users.apply(login);
        if (user.isEmpty()) {
            signInForm(exchange, exchange.getRequestURI().getRawQuery(), login, "AADSTS50034: The user account"
                    + " {EUII Hidden} does not exist in the directory. To sign into this application, the account"
                    + " must be added to the directory.");
            return;
        }
        issue(exchange, clientId, redirect, query, challengeMethod, state, user.get(), true);
    }

    /**
     * The browser's session at the tenant: the cookie a sign-in set, for a user still in the directory. Entra's
     * own cookie is opaque too; this one names an entry of {@link #browserSessions}.
     */
    private Optional<JsonNode> signedIn(HttpExchange exchange) {
        String cookies = String.join(";", Optional.ofNullable(exchange.getRequestHeaders().get("Cookie"))
                .orElse(java.util.List.of()));
        for (String pair : cookies.split(";")) {
            String trimmed = pair.trim();
            if (trimmed.startsWith(SESSION_COOKIE + "=")) {
                String login = browserSessions.get(trimmed.substring(SESSION_COOKIE.length() + 1));
                if (login != null) {
                    return users.apply(login);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a login hint names this user: their sign-in name or mail, without regard to case. */
    private static boolean names(JsonNode user, String hint) {
        return hint.equalsIgnoreCase(user.path("userPrincipalName").asText())
                || hint.equalsIgnoreCase(user.path("mail").asText());
    }

    private void issue(HttpExchange exchange, String clientId, String redirect, Map<String, String> query,
                       String challengeMethod, String state, JsonNode user, boolean newSession) throws IOException {
        if (newSession) {
            String session = random(32);
            browserSessions.put(session, user.path("userPrincipalName").asText(user.path("mail").asText()));
            exchange.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=" + session + "; Path=/" + TENANT
                    + "; Secure; HttpOnly; SameSite=None");
        }
        String code = random(32);
        codes.put(code, new Grant(clientId, redirect, query.get("code_challenge"), challengeMethod,
                query.get("nonce"), query.getOrDefault("scope", ""), user, clock.instant(), new boolean[1]));
        redirect(exchange, redirect, Map.of("code", code, "session_state", UUID.randomUUID().toString()), state);
    }

    private static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    /** Entra ends a refresh token that went unused this long (AADSTS700082; "Refresh tokens", configurable lifetimes). */
    static final Duration REFRESH_INACTIVITY = Duration.ofDays(90);
    private static final java.util.Set<String> OIDC_SCOPES = java.util.Set.of("openid", "profile", "email",
            "offline_access");
    private static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

    private void token(HttpExchange exchange, String host, Map<String, String> body) throws IOException {
        String clientId = body.getOrDefault("client_id", "");
        Optional<ObjectNode> app = apps.byAppId(clientId);
        String grantType = String.valueOf(body.get("grant_type"));
        if (!java.util.Set.of("authorization_code", DEVICE_CODE_GRANT, "refresh_token").contains(grantType)) {
            json(exchange, 400, oauthError("unsupported_grant_type", "AADSTS70003",
                    "The app requested an unsupported grant type '" + body.get("grant_type") + "'."));
            return;
        }
        if (app.isEmpty()) {
            json(exchange, 400, oauthError("unauthorized_client", "AADSTS700016", "Application with identifier '"
                    + clientId + "' was not found in the directory."));
            return;
        }
        boolean publicClient = app.get().path("isFallbackPublicClient").asBoolean(false);
        // A client without a credential is taken only where "Allow public client flows" is on; the device
        // code grant needs it (the error is AADSTS7000218, as for a confidential client that sent none).
        if (!publicClient || grantType.equals("authorization_code")) {
            Optional<ObjectNode> clientError = clientAuthenticationError(app.get(), host, body);
            if (clientError.isPresent()) {
                json(exchange, 401, clientError.get());
                return;
            }
        }
        if (grantType.equals(DEVICE_CODE_GRANT)) {
            EntraDeviceCodes.Poll poll = deviceCodes.poll(body.get("device_code"), clientId);
            if (poll.error() != null) {
                json(exchange, 400, oauthError(poll.error(), poll.code(), poll.message()));
                return;
            }
            Requested requested = requested(poll.scope());
            json(exchange, 200, delegatedTokens(host, new Delegation(clientId, requested, poll.user())));
            return;
        }
        if (grantType.equals("refresh_token")) {
            refresh(exchange, host, clientId, body);
            return;
        }
        Grant grant = codes.get(body.getOrDefault("code", ""));
        Optional<ObjectNode> grantError = grantError(grant, clientId, body);
        if (grantError.isPresent()) {
            json(exchange, 400, grantError.get());
            return;
        }
        json(exchange, 200, tokens(host, grant));
    }

    /** A user's consent to a client, for one resource's scopes: what a device code or refresh token stands for. */
    private record Delegation(String clientId, Requested requested, JsonNode user) {
    }

    /** A refresh token: its delegation, and when it was last used (Entra ends it after 90 days unused). */
    private record Refresh(Delegation delegation, Instant lastUsed) {
    }

    private final Map<String, Refresh> refreshTokens = new ConcurrentHashMap<>();
    private final EntraDeviceCodes deviceCodes;

    private void refresh(HttpExchange exchange, String host, String clientId, Map<String, String> body)
            throws IOException {
        Refresh refresh = refreshTokens.get(body.getOrDefault("refresh_token", ""));
        if (refresh == null || !refresh.delegation().clientId().equalsIgnoreCase(clientId)) {
            json(exchange, 400, oauthError("invalid_grant", "AADSTS9002313", "Invalid request. Request is malformed"
                    + " or invalid."));
            return;
        }
        if (refresh.lastUsed().plus(REFRESH_INACTIVITY).isBefore(clock.instant())) {
            json(exchange, 400, oauthError("invalid_grant", "AADSTS700082", "The refresh token has expired due to"
                    + " inactivity. The token was issued on " + refresh.lastUsed() + " and was inactive for "
                    + REFRESH_INACTIVITY.toDays() + ".00:00:00."));
            return;
        }
        Optional<JsonNode> user = users.apply(refresh.delegation().user().path("userPrincipalName").asText());
        if (user.isEmpty()) {
            // The account was deleted since: Entra revokes its refresh tokens.
            json(exchange, 400, oauthError("invalid_grant", "AADSTS50173", "The provided grant has expired due to"
                    + " it being revoked, a fresh auth token is needed."));
            return;
        }
        Requested requested = refresh.delegation().requested();
        if (body.containsKey("scope")) {
            requested = requested(body.get("scope"));
            if (requested.error() != null) {
                json(exchange, 400, requested.error());
                return;
            }
        }
        json(exchange, 200, delegatedTokens(host, new Delegation(clientId, requested, user.get())));
    }

    /**
     * The scopes a public client asks for: OpenID Connect's, and those of one resource, named by its application
     * ID URI (or app id) and a scope it exposes ({@code api.oauth2PermissionScopes}), or {@code .default}; a
     * bare name is a Microsoft Graph permission.
     *
     * @param resource the resource's app id, Graph's for none
     * @param error    Entra's refusal, or null
     */
    private record Requested(String resource, java.util.List<String> scopes, java.util.Set<String> oidc,
                             ObjectNode error) {
    }

    private Requested requested(String scope) {
        java.util.Set<String> oidc = new java.util.LinkedHashSet<>();
        java.util.List<String> values = new java.util.ArrayList<>();
        String resource = null;
        for (String item : String.valueOf(scope).trim().split("\\s+")) {
            if (item.isEmpty() || OIDC_SCOPES.contains(item)) {
                if (!item.isEmpty()) {
                    oidc.add(item);
                }
                continue;
            }
            int slash = item.lastIndexOf('/');
            String uri = slash < 0 ? "https://graph.microsoft.com" : item.substring(0, slash);
            String value = item.substring(slash + 1);
            Optional<ObjectNode> app = uri.equals("https://graph.microsoft.com") ? Optional.empty()
                    : apps.byResource(uri);
            if (app.isEmpty() && !uri.equals("https://graph.microsoft.com")) {
                return new Requested(null, values, oidc, oauthError("invalid_resource", "AADSTS500011", "The"
                        + " resource principal named " + uri + " was not found in the tenant named " + TENANT + "."
                        + " This can happen if the application has not been installed by the administrator of the"
                        + " tenant or consented to by any user in the tenant."));
            }
            String appId = app.map(a -> a.path("appId").asText()).orElse(GRAPH_APP_ID);
            if (resource != null && !resource.equals(appId)) {
                return new Requested(null, values, oidc, oauthError("invalid_scope", "AADSTS28000", "Provided value"
                        + " for the input parameter scope is not valid because it contains more than one resource."
                        + " Scope " + scope + " is not valid."));
            }
            resource = appId;
            java.util.List<String> exposed = new java.util.ArrayList<>();
            app.ifPresent(a -> a.path("api").path("oauth2PermissionScopes").forEach(s -> exposed.add(
                    s.path("value").asText())));
            if (value.equals(".default")) {
                values.addAll(app.isPresent() ? exposed : java.util.List.of("User.Read"));
            } else if (app.isPresent() && !exposed.contains(value)) {
                return new Requested(null, values, oidc, oauthError("invalid_scope", "AADSTS70011", "The provided"
                        + " value for the input parameter 'scope' is not valid. The scope " + item + " is not valid."));
            } else {
                values.add(value);
            }
        }
        return new Requested(resource == null ? GRAPH_APP_ID : resource, values, oidc, null);
    }

    /** The tokens a delegation gives: an access token for its resource, an id token and a refresh token if asked. */
    private ObjectNode delegatedTokens(String host, Delegation delegation) {
        Instant now = clock.instant();
        JsonNode user = delegation.user();
        String oid = user.path("id").asText();
        Requested requested = delegation.requested();
        java.util.List<String> scopes = requested.scopes().isEmpty() && requested.resource().equals(GRAPH_APP_ID)
                ? java.util.List.of("User.Read") : requested.scopes();
        ObjectNode access = claims(host, requested.resource(), now, Duration.ofHours(1)).put("oid", oid)
                .put("sub", hash(oid + delegation.clientId())).put("tid", TENANT)
                .put("name", user.path("displayName").asText(""))
                .put("preferred_username", user.path("userPrincipalName").asText(user.path("mail").asText("")))
                .put("scp", String.join(" ", scopes)).put("azp", delegation.clientId()).put("azpacr", "0");
        java.util.List<String> roles = assignedRoles(requested.resource(), oid);
        roles.forEach(access.withArray("roles")::add);
        java.util.List<String> granted = new java.util.ArrayList<>(scopes);
        granted.addAll(requested.oidc());
        ObjectNode answer = JSON.createObjectNode().put("token_type", "Bearer").put("scope", String.join(" ", granted))
                .put("expires_in", 3599).put("ext_expires_in", 3599).put("access_token", jwt.sign(access));
        if (requested.oidc().contains("openid")) {
            ObjectNode id = claims(host, delegation.clientId(), now, Duration.ofHours(1))
                    .put("sub", hash(oid + delegation.clientId())).put("oid", oid).put("tid", TENANT)
                    .put("name", user.path("displayName").asText(""))
                    .put("preferred_username", user.path("userPrincipalName").asText(user.path("mail").asText("")));
            answer.put("id_token", jwt.sign(id));
        }
        if (requested.oidc().contains("offline_access")) {
            String token = random(64);
            refreshTokens.put(token, new Refresh(delegation, now));
            answer.put("refresh_token", token);
        }
        return answer;
    }

    private void deviceCode(HttpExchange exchange, String host, Map<String, String> body) throws IOException {
        String clientId = body.getOrDefault("client_id", "");
        if (apps.byAppId(clientId).isEmpty()) {
            json(exchange, 400, oauthError("unauthorized_client", "AADSTS700016", "Application with identifier '"
                    + clientId + "' was not found in the directory."));
            return;
        }
        if (body.getOrDefault("scope", "").isBlank()) {
            json(exchange, 400, oauthError("invalid_request", "AADSTS900144", "The request body must contain the"
                    + " following parameter: 'scope'."));
            return;
        }
        Requested requested = requested(body.get("scope"));
        if (requested.error() != null) {
            json(exchange, 400, requested.error());
            return;
        }
        json(exchange, 200, deviceCodes.begin(clientId, body.get("scope"), host + "/devicelogin"));
    }

    /**
     * The verification page: the user types the code, then signs in (or, with a session at the tenant, confirms
     * that it is them), and the device's next poll gets the tokens.
     */
    private void deviceSignIn(HttpExchange exchange, String method) throws IOException {
        if (!method.equals("POST")) {
            devicePage(exchange, 200, null, "", false);
            return;
        }
        Map<String, String> typed = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Optional<EntraDeviceCodes.Pending> pending = deviceCodes.byUserCode(typed.getOrDefault("otc", ""));
        if (pending.isEmpty()) {
            devicePage(exchange, 400, "AADSTS70018: We don't recognize this code, or it has expired. Enter the code"
                    + " shown on your device again.", "", false);
            return;
        }
        String otc = typed.get("otc");
        Optional<JsonNode> user = typed.containsKey("login") ? users.apply(typed.get("login"))
                : typed.containsKey("confirm") ? signedIn(exchange) : Optional.empty();
        if (user.isEmpty()) {
            if (typed.containsKey("login")) {
                devicePage(exchange, 400, "AADSTS50034: The user account {EUII Hidden} does not exist in the"
                        + " directory.", otc, true);
            } else {
                devicePage(exchange, 200, null, otc, signedIn(exchange).isEmpty());
            }
            return;
        }
        if (typed.containsKey("login")) {
            String session = random(32);
            browserSessions.put(session, user.get().path("userPrincipalName").asText(user.get().path("mail").asText()));
            exchange.getResponseHeaders().add("Set-Cookie", SESSION_COOKIE + "=" + session + "; Path=/" + TENANT
                    + "; Secure; HttpOnly; SameSite=None");
        }
        deviceCodes.approve(pending.get(), user.get());
        String app = apps.byAppId(pending.get().clientId).map(a -> a.path("displayName").asText("the app"))
                .orElse("the app");
        send(exchange, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Signed in</title></head>"
                + "<body><h1 id=\"done\">You have signed in to " + escape(app) + " on your device.</h1>"
                + "<p>You may now close this window.</p></body></html>");
    }

    /** The code form; with {@code otc} known, the sign-in form (or, for a signed-in browser, a Continue button). */
    private void devicePage(HttpExchange exchange, int status, String problem, String otc, boolean signIn)
            throws IOException {
        String action = "/" + TENANT + "/oauth2/deviceauth";
        String fields = otc.isEmpty()
                ? "<label>Code <input type=\"text\" name=\"otc\" autocomplete=\"off\"></label>"
                : "<input type=\"hidden\" name=\"otc\" value=\"" + escape(otc) + "\">" + (signIn
                        ? "<input type=\"email\" name=\"login\" placeholder=\"Email, phone, or Skype\">"
                        : "<input type=\"hidden\" name=\"confirm\" value=\"1\"><p>Continue as the account you are"
                                + " signed in with?</p>");
        send(exchange, status, "text/html; charset=utf-8", "<!DOCTYPE html><html><head><title>Enter code</title>"
                + "</head><body><h1>Enter code</h1>" + (problem == null ? "" : "<p id=\"error\">" + escape(problem)
                + "</p>") + "<form method=\"post\" action=\"" + action + "\">" + fields
                + "<input type=\"submit\" value=\"Next\"></form></body></html>");
    }

    /** A federated credential: a token from a trusted issuer, for a trusted subject, with a listed audience. */
    private Optional<ObjectNode> clientAuthenticationError(ObjectNode app, String host, Map<String, String> body) {
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(body.get("client_assertion_type"))
                || !body.containsKey("client_assertion")) {
            return Optional.of(oauthError("invalid_client", "AADSTS7000218", "The request body must contain the"
                    + " following parameter: 'client_assertion' or 'client_secret'."));
        }
        Optional<JsonNode> claims = jwt.verified(body.get("client_assertion"));
        if (claims.isEmpty()) {
            return Optional.of(oauthError("invalid_client", "AADSTS700027", "Client assertion failed signature"
                    + " validation."));
        }
        long now = clock.instant().getEpochSecond();
        if (claims.get().path("exp").asLong() < now || claims.get().path("nbf").asLong(0) > now + 300) {
            return Optional.of(oauthError("invalid_client", "AADSTS700024", "Client assertion is not within its"
                    + " valid time range."));
        }
        String issuer = claims.get().path("iss").asText();
        String subject = claims.get().path("sub").asText();
        String audience = claims.get().path("aud").asText();
        JsonNode trusted = app.path("federatedIdentityCredentials");
        if (!any(trusted, c -> c.path("issuer").asText().equals(issuer))) {
            return Optional.of(oauthError("invalid_client", "AADSTS700211", "No matching federated identity record"
                    + " found for presented assertion issuer '" + issuer + "'."));
        }
        if (!any(trusted, c -> c.path("issuer").asText().equals(issuer) && c.path("subject").asText().equals(subject))) {
            return Optional.of(oauthError("invalid_client", "AADSTS700213", "No matching federated identity record"
                    + " found for presented assertion subject '" + subject + "'."));
        }
        if (!any(trusted, c -> c.path("subject").asText().equals(subject)
                && any(c.path("audiences"), a -> a.asText().equals(audience)))) {
            return Optional.of(oauthError("invalid_client", "AADSTS700212", "No matching federated identity record"
                    + " found for presented assertion audience '" + audience + "'."));
        }
        return Optional.empty();
    }

    private Optional<ObjectNode> grantError(Grant grant, String clientId, Map<String, String> body) {
        if (grant == null || !grant.clientId().equalsIgnoreCase(clientId)) {
            return Optional.of(oauthError("invalid_grant", "AADSTS9002313", "Invalid request. Request is malformed"
                    + " or invalid."));
        }
        synchronized (grant) {
            if (grant.redeemed()[0]) {
                return Optional.of(oauthError("invalid_grant", "AADSTS54005", "OAuth2 Authorization code was"
                        + " already redeemed, please retry with a new valid code or use an existing refresh token."));
            }
            grant.redeemed()[0] = true;
        }
        if (grant.issued().plus(CODE_LIFETIME).isBefore(clock.instant())) {
            return Optional.of(oauthError("invalid_grant", "AADSTS70008", "The provided authorization code or"
                    + " refresh token has expired due to inactivity."));
        }
        if (!grant.redirectUri().equals(body.get("redirect_uri"))) {
            return Optional.of(oauthError("invalid_grant", "AADSTS50011", "The redirect URI '" + body.get("redirect_uri")
                    + "' specified in the request does not match the redirect URI of the authorization request."));
        }
        if (grant.challenge() != null && !grant.challenge().equals(challengeOf(body.get("code_verifier"),
                grant.method()))) {
            return Optional.of(oauthError("invalid_grant", "AADSTS501481", "The Code_Verifier does not match the"
                    + " code_challenge supplied in the authorization request."));
        }
        return Optional.empty();
    }

    private ObjectNode tokens(String host, Grant grant) {
        Instant now = clock.instant();
        JsonNode user = grant.user();
        String oid = user.path("id").asText();
        ObjectNode id = claims(host, grant.clientId(), now, Duration.ofHours(1))
                .put("sub", hash(oid + grant.clientId())).put("oid", oid).put("tid", TENANT)
                .put("name", user.path("displayName").asText(""))
                .put("preferred_username", user.path("userPrincipalName").asText(user.path("mail").asText("")));
        if (grant.scope().contains("email") && user.hasNonNull("mail")) {
            id.put("email", user.path("mail").asText());
        }
        if (grant.nonce() != null) {
            id.put("nonce", grant.nonce());
        }
        // Entra puts the app roles assigned to the user (to the app's service principal: appRoleAssignedTo) in
        // the id token's roles claim, by their value; none assigned, no claim.
        java.util.List<String> roles = assignedRoles(grant.clientId(), oid);
        if (!roles.isEmpty()) {
            roles.forEach(id.withArray("roles")::add);
        }
        ObjectNode access = claims(host, "00000003-0000-0000-c000-000000000000", now, Duration.ofHours(1))
                .put("oid", oid).put("tid", TENANT).put("scp", "openid profile email").put("azp", grant.clientId()).put("azpacr", "2");
        return JSON.createObjectNode().put("token_type", "Bearer").put("scope", grant.scope())
                .put("expires_in", 3599).put("ext_expires_in", 3599).put("access_token", jwt.sign(access))
                .put("id_token", jwt.sign(id));
    }

    /** The values of the app's roles assigned to the principal, as its registration lists them. */
    private java.util.List<String> assignedRoles(String clientId, String principal) {
        Optional<ObjectNode> app = apps.byAppId(clientId);
        java.util.List<String> values = new java.util.ArrayList<>();
        app.ifPresent(a -> a.path("appRoleAssignedTo").forEach(assignment -> {
            if (assignment.path("principalId").asText().equalsIgnoreCase(principal)) {
                a.path("appRoles").forEach(role -> {
                    if (role.path("id").asText().equals(assignment.path("appRoleId").asText())) {
                        values.add(role.path("value").asText());
                    }
                });
            }
        }));
        return values;
    }

    /**
     * An access token for an API, as Entra issues one to a signed-in user who asked for {@code <audience>/.default}:
     * the user's object id and name, the app roles they are assigned; {@code lifetime} may be negative (expired).
     */
    String accessToken(String host, String audience, JsonNode user, java.util.Collection<String> roles,
                       Duration lifetime) {
        Instant now = clock.instant();
        ObjectNode claims = claims(host, audience, lifetime.isNegative() ? now.plus(lifetime.multipliedBy(2)) : now,
                lifetime.isNegative() ? lifetime.negated() : lifetime).put("oid", user.path("id").asText())
                .put("tid", TENANT).put("name", user.path("displayName").asText(""))
                .put("preferred_username", user.path("userPrincipalName").asText("")).put("scp", "user_impersonation")
                .put("azp", AZURE_CLI).put("azpacr", "0");
        if (!roles.isEmpty()) {
            // Entra leaves the claim out for a user with no app role.
            roles.forEach(claims.withArray("roles")::add);
        }
        return jwt.sign(claims);
    }

    private volatile java.util.function.Supplier<java.util.Set<String>> graphRoles = java.util.Set::of;

    /** The Graph app roles granted to the control plane's identity, stamped into its tokens for Graph. */
    void graphRoles(java.util.function.Supplier<java.util.Set<String>> granted) {
        this.graphRoles = granted;
    }

    /** The token the control plane's identity gets for {@code resource}: with its Graph roles, for Graph. */
    String controlPlaneToken(String host, String resource) {
        Instant now = clock.instant();
        ObjectNode claims = claims(host, resource, now, Duration.ofHours(24)).put("sub", CONTROL_PLANE_PRINCIPAL)
                .put("oid", CONTROL_PLANE_PRINCIPAL).put("tid", TENANT).put("azp", CONTROL_PLANE_CLIENT)
                .put("azpacr", "2").put("idtyp", "app");
        if (GraphApi.GRAPH_AUDIENCES.contains(resource)) {
            graphRoles.get().forEach(claims.withArray("roles")::add);
        }
        return jwt.sign(claims);
    }

    void scaleSets(java.util.function.BiFunction<String, String, Optional<String>> principalOf) {
        this.scaleSets = principalOf;
    }

    /**
     * The metadata service of an instance of scale set {@code /vm/<group>/<name>}: its system-assigned identity's
     * token (no {@code client_id}). A stand-in VM is given {@code https://<emulator>/vm/<group>/<name>} as its
     * metadata address, and the agents' code stays as on a real VM.
     */
    private void instanceToken(HttpExchange exchange, String host, String[] path, Map<String, String> query)
            throws IOException {
        Optional<String> principal = scaleSets.apply(path[2], path[3]);
        if (!"true".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Metadata")) || principal.isEmpty()
                || query.get("resource") == null) {
            json(exchange, 400, JSON.createObjectNode().put("error", "invalid_request").put("error_description",
                    principal.isEmpty() ? "Identity not found" : "Required metadata header or audience not specified"));
            return;
        }
        Instant now = clock.instant();
        ObjectNode claims = claims(host, query.get("resource"), now, Duration.ofHours(24)).put("sub", principal.get())
                .put("oid", principal.get()).put("tid", TENANT).put("idtyp", "app")
                // A system-assigned identity's client id is its own; the emulator knows only its principal id.
                .put("azp", principal.get()).put("azpacr", "2");
        json(exchange, 200, JSON.createObjectNode().put("access_token", jwt.sign(claims)).put("expires_in", "86399")
                .put("resource", query.get("resource")).put("token_type", "Bearer"));
    }

    /** What the instance metadata service answers a VM asking for its user-assigned identity's token. */
    private void managedIdentityToken(HttpExchange exchange, String host, Map<String, String> query) throws IOException {
        if (!"true".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Metadata"))) {
            json(exchange, 400, JSON.createObjectNode().put("error", "invalid_request")
                    .put("error_description", "Required metadata header not specified"));
            return;
        }
        String resource = query.get("resource");
        if (resource != null && !query.containsKey("client_id")) {
            Instant now = clock.instant();
            json(exchange, 200, JSON.createObjectNode().put("access_token", controlPlaneToken(host, resource))
                    .put("client_id", CONTROL_PLANE_CLIENT).put("expires_in", "86399")
                    .put("expires_on", "" + now.plus(Duration.ofHours(24)).getEpochSecond()).put("resource", resource)
                    .put("token_type", "Bearer"));
            return;
        }
        Optional<String> principal = apps.principalOf(query.getOrDefault("client_id", ""));
        if (resource == null || principal.isEmpty()) {
            json(exchange, 400, JSON.createObjectNode().put("error", "invalid_request").put("error_description",
                    resource == null ? "Required audience parameter not specified"
                            : "Identity not found"));
            return;
        }
        Instant now = clock.instant();
        ObjectNode claims = claims(host, resource, now, Duration.ofHours(24)).put("sub", principal.get())
                .put("oid", principal.get()).put("tid", TENANT).put("azp", query.get("client_id"))
                .put("azpacr", "2").put("idtyp", "app");
        json(exchange, 200, JSON.createObjectNode().put("access_token", jwt.sign(claims))
                .put("client_id", query.get("client_id")).put("expires_in", "86399")
                .put("expires_on", "" + now.plus(Duration.ofHours(24)).getEpochSecond()).put("resource", resource)
                .put("token_type", "Bearer"));
    }

    private ObjectNode claims(String host, String audience, Instant now, Duration lifetime) {
        return JSON.createObjectNode().put("aud", audience).put("iss", issuer(host)).put("iat", now.getEpochSecond())
                .put("nbf", now.getEpochSecond()).put("exp", now.plus(lifetime).getEpochSecond()).put("ver", "2.0");
    }

    static String challengeOf(String verifier, String method) {
        if (verifier == null) {
            return null;
        }
        if (method.equals("plain")) {
            return verifier;
        }
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hash(String text) {
        return challengeOf(text, "S256").substring(0, 43);
    }

    private static boolean any(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode item : array) {
            if (test.test(item)) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode oauthError(String error, String code, String message) {
        ObjectNode body = JSON.createObjectNode().put("error", error)
                .put("error_description", code + ": " + message)
                .put("timestamp", clock.instant().toString()).put("trace_id", UUID.randomUUID().toString())
                .put("correlation_id", UUID.randomUUID().toString());
        body.putArray("error_codes").add(Integer.parseInt(code.substring("AADSTS".length())));
        return body;
    }

    private void signInForm(HttpExchange exchange, String rawQuery, String login, String problem) throws IOException {
        String html = "<!DOCTYPE html><html><head><title>Sign in to your account</title></head><body>"
                + "<h1>Sign in</h1>" + (problem == null ? "" : "<p id=\"error\">" + escape(problem) + "</p>")
                + "<form method=\"post\" action=\"/" + TENANT + "/oauth2/v2.0/authorize?" + escape(rawQuery) + "\">"
                + "<input type=\"email\" name=\"login\" placeholder=\"Email, phone, or Skype\" value=\""
                + escape(login) + "\">"
                + "<input type=\"submit\" value=\"Next\"></form></body></html>";
        send(exchange, problem == null ? 200 : 400, "text/html; charset=utf-8", html);
    }

    private static void page(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/html; charset=utf-8", "<!DOCTYPE html><html><body><h1>Sign in</h1><p id=\"error\">"
                + escape(message) + "</p></body></html>");
    }

    private static void redirect(HttpExchange exchange, String to, Map<String, String> parameters, String state)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        if (state != null) {
            all.put("state", state);
        }
        StringBuilder location = new StringBuilder(to).append(to.contains("?") ? '&' : '?');
        all.forEach((name, value) -> location.append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&'));
        location.setLength(location.length() - 1);
        exchange.getResponseHeaders().set("Location", location.toString());
        exchange.sendResponseHeaders(302, -1);
    }

    private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", body.toString());
    }

    private static void send(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    static Map<String, String> form(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            values.putIfAbsent(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1),
                    StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
