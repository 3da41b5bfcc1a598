package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Microsoft Graph that rosters use, answering as Graph does where it matters to a client:
 * <ul>
 *   <li><b>Tokens.</b> Every request needs a bearer the emulator's Entra ID signed, for Graph's audience, not
 *       expired; otherwise 401 {@code InvalidAuthenticationToken}, as Graph answers. The control plane gets one
 *       from the metadata endpoint ({@code /metadata/identity/oauth2/token} without {@code client_id}, as a
 *       system-assigned identity does), or tests from {@code AzureEmulator.controlPlaneToken}.</li>
 *   <li><b>Permissions.</b> The roles are the token's {@code roles}: those granted to the control plane's identity
 *       (set with {@code PUT /emulator/graph/roles}; by default the two the docs name) are stamped into its tokens
 *       when Entra issues them. Each endpoint checks the roles Graph's permissions reference lists for
 *       it and answers 403 {@code Authorization_RequestDenied} without one.</li>
 *   <li><b>Members.</b> {@code GET /v1.0/groups/{id}/members} and {@code .../transitiveMembers} (nested groups
 *       flattened), 100 per page or {@code $top} up to 999, with {@code @odata.nextLink}; members of every type
 *       (users with or without mail, guests, groups, service principals, devices). Without a role that reads
 *       users, a user comes back with {@code @odata.type} and {@code id} only (Graph's "limited information").</li>
 *   <li><b>Delta.</b> {@code GET /v1.0/groups/delta?$filter=id eq '{id}'&$select=members}: member changes paged
 *       50 to a page, ending in an {@code @odata.deltaLink}; {@code $deltatoken=latest} gives a link without
 *       changes. A delta link older than its maximum age (seven days for directory objects) answers 410
 *       {@code syncStateNotFound}: the client must start again with a full read.</li>
 *   <li><b>Lookups.</b> {@code GET /v1.0/users?$filter=id in (...)} (at most 15 ids a request) and
 *       {@code POST /v1.0/directoryObjects/getByIds} (at most 1,000 ids, {@code types} honoured).</li>
 *   <li><b>Subscriptions.</b> {@code POST/GET/PATCH/DELETE /v1.0/subscriptions} and {@code .../reauthorize} for
 *       {@code groups/{id}}: at most 41,760 minutes ahead, to an https URL or an Event Grid partner topic.</li>
 *   <li><b>Faults.</b> {@code /emulator/faults} rules apply to Graph paths too (429 with Retry-After, 503,
 *       504).</li>
 * </ul>
 * Tests and a developer set a group's members with {@code PUT /emulator/graph/groups/{id}} and a body
 * {@code {"members":[{"id","mail","displayName","userPrincipalName","@odata.type"}]}}; a member of type
 * {@code #microsoft.graph.group} is another group set the same way.
 */
final class GraphApi {
    static final int PAGE = 100;
    static final int MAX_TOP = 999;
    static final int DELTA_PAGE = 50;
    /** Graph refuses a $filter with more than 15 expressions; an {@code in} list counts each value. */
    static final int MAX_IN = 15;
    /** directoryObject: getByIds, "ids: up to 1000". */
    static final int MAX_BY_IDS = 1000;
    /** subscription resource type, maximum length for groups: 41,760 minutes (under 29 days). */
    static final Duration MAX_GROUP_SUBSCRIPTION = Duration.ofMinutes(41_760);
    /** Delta query overview: a state token for directory objects is valid for seven days. */
    static final Duration DELTA_LINK_AGE = Duration.ofDays(7);

    /** group: list members, list transitiveMembers, delta: GroupMember.Read.All is the least privileged. */
    static final Set<String> READ_MEMBERS = Set.of("GroupMember.Read.All", "GroupMember.ReadWrite.All",
            "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");
    /** user: list users (application): User.Read.All is the least privileged; it also reads members' properties. */
    static final Set<String> READ_USERS = Set.of("User.Read.All", "User.ReadWrite.All", "Directory.Read.All",
            "Directory.ReadWrite.All");
    /** directoryObject: getByIds (application): Directory.Read.All, nothing lesser. */
    static final Set<String> READ_DIRECTORY = Set.of("Directory.Read.All", "Directory.ReadWrite.All");
    /** Create subscription, resource group (application): Group.Read.All. */
    static final Set<String> SUBSCRIBE_GROUPS = Set.of("Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All",
            "Directory.ReadWrite.All");
    /** What the app is granted unless a test says otherwise: the set the project's docs name. */
    static final Set<String> DEFAULT_ROLES = Set.of("Group.Read.All", "User.Read.All",
            "Application.ReadWrite.OwnedBy");
    /** application: get and update (application): these for any application; OwnedBy for those the caller owns. */
    static final Set<String> READ_APPLICATIONS = Set.of("Application.Read.All", "Application.ReadWrite.All",
            "Directory.Read.All");
    static final Set<String> WRITE_APPLICATIONS = Set.of("Application.ReadWrite.All");
    static final String OWNED_APPLICATIONS = "Application.ReadWrite.OwnedBy";
    private static final Pattern APPLICATION = Pattern.compile("/v1\\.0/applications\\(appId='([0-9a-fA-F-]{36})'\\)");

    private static final Pattern MEMBERS = Pattern.compile("/v1\\.0/groups/([0-9a-fA-F-]{36})/(members|transitiveMembers)");
    private static final Pattern SUBSCRIPTION = Pattern.compile("/v1\\.0/subscriptions(?:/([0-9a-fA-F-]{36}))?(/reauthorize)?");
    private static final Pattern CONTROL = Pattern.compile("/emulator/graph/groups/([0-9a-fA-F-]{36})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Faults faults;
    private final EntraApps apps;
    private final Map<String, List<String>> groups = new ConcurrentHashMap<>();
    /** Every membership a group has had, oldest first: a delta token names one of them and when it was issued. */
    private final Map<String, List<Set<String>>> history = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> directory = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> subscriptions = new ConcurrentHashMap<>();
    /** The app roles on Graph granted to the control plane's identity, which Entra puts into its tokens. */
    private volatile Set<String> granted = DEFAULT_ROLES;
    /**
     * The roles of the request being answered, from its token. The HTTP server answers each exchange on one thread,
     * so a thread-local carries them to the handlers without threading them through every method.
     */
    private final ThreadLocal<Set<String>> callerRoles = ThreadLocal.withInitial(Set::of);
    private final Jwt jwt;
    private volatile Duration deltaLinkAge = DELTA_LINK_AGE;

    private final java.time.Clock clock;

    GraphApi(Faults faults, EntraApps apps, Jwt jwt, java.time.Clock clock) {
        this.jwt = jwt;
        this.clock = clock;
        this.faults = faults;
        this.apps = apps;
    }

    /** An answer, with the headers it needs. */
    private record Answer(int status, JsonNode body, Map<String, String> headers) {
        static Answer of(int status, JsonNode body) {
            return new Answer(status, body, Map.of());
        }
    }

    void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = answer(exchange);
            } finally {
                callerRoles.remove();
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            send(exchange, answer.status(), answer.body());
        }
    }

    private Answer answer(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Optional<Faults.Fault> fault = faults.check(method, path, "graph");
        if (fault.isPresent() && fault.get().status() > 0) {
            Faults.Fault f = fault.get();
            return new Answer(f.status(), error(f.code(), f.message()), f.status() == 429 || f.status() == 503
                    ? Map.of("Retry-After", "" + f.retryAfterSeconds()) : Map.of());
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            return Answer.of(401, error("InvalidAuthenticationToken", "Access token is empty."));
        }
        Optional<Answer> refused = bearer(auth.substring(7).trim());
        if (refused.isPresent()) {
            return refused.get();
        }
        String query = URLDecoder.decode(Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""),
                StandardCharsets.UTF_8);
        String host = "https://" + exchange.getRequestHeaders().getFirst("Host");
        Matcher members = MEMBERS.matcher(path);
        Matcher subscription = SUBSCRIPTION.matcher(path);
        Matcher application = APPLICATION.matcher(path);
        if (application.matches()) {
            return application(method, application.group(1), exchange.getRequestBody().readAllBytes());
        }
        if (path.equals("/v1.0/groups/delta") && method.equals("GET")) {
            return allowed(READ_MEMBERS).orElseGet(() -> delta(query, host));
        }
        if (path.equals("/v1.0/users") && method.equals("GET")) {
            return allowed(READ_USERS).orElseGet(() -> usersById(query));
        }
        if (path.equals("/v1.0/directoryObjects/getByIds") && method.equals("POST")) {
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            return allowed(READ_DIRECTORY).orElseGet(() -> byIds(body));
        }
        if (members.matches() && method.equals("GET")) {
            return allowed(READ_MEMBERS).orElseGet(() -> members(members.group(1),
                    members.group(2).equals("transitiveMembers"), query, host + path));
        }
        if (subscription.matches()) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            return allowed(SUBSCRIBE_GROUPS).orElseGet(() -> subscriptions(method, subscription.group(1),
                    subscription.group(2) != null, body));
        }
        return Answer.of(400, error("BadRequest", "Unsupported request " + method + " " + exchange.getRequestURI()));
    }

    /** {@code GET} and {@code PATCH} (its {@code web.redirectUris}) of an application addressed by its appId. */
    private Answer application(String method, String appId, byte[] body) throws IOException {
        Optional<ObjectNode> app = apps.byAppId(appId);
        Set<String> roles = callerRoles.get();
        boolean owner = app.isPresent() && apps.ownedByControlPlane(app.get()) && roles.contains(OWNED_APPLICATIONS);
        boolean reading = method.equals("GET");
        Set<String> needed = reading ? READ_APPLICATIONS : WRITE_APPLICATIONS;
        if (!owner && roles.stream().noneMatch(needed::contains)) {
            return Answer.of(403, error("Authorization_RequestDenied", "Insufficient privileges to complete the"
                    + " operation."));
        }
        if (app.isEmpty()) {
            return Answer.of(404, error("Request_ResourceNotFound", "Resource '" + appId
                    + "' does not exist or one of its queried reference-property objects are not present."));
        }
        if (reading) {
            return Answer.of(200, app.get().deepCopy().put("@odata.context",
                    "https://graph.microsoft.com/v1.0/$metadata#applications/$entity"));
        }
        if (!method.equals("PATCH")) {
            return Answer.of(405, error("Request_BadRequest", "Method " + method + " is not supported here."));
        }
        JsonNode patch = JSON.readTree(body);
        java.util.Iterator<String> names = patch.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("web")) {
                return Answer.of(400, error("Request_BadRequest", "Property '" + name + "' is read-only or not"
                        + " supported by this emulator."));
            }
        }
        JsonNode uris = patch.path("web").path("redirectUris");
        Optional<String> invalid = EntraApps.invalidRedirectUris(uris);
        if (invalid.isPresent()) {
            return Answer.of(400, error("Request_BadRequest", "One or more properties contains invalid values: "
                    + invalid.get()));
        }
        apps.setRedirectUris(app.get(), uris);
        return Answer.of(204, null);
    }

    /** The directory's user who signs in with this name: mail or user principal name, in any case. */
    Optional<JsonNode> userSigningInAs(String login) {
        return directory.values().stream().filter(o -> o.path("@odata.type").asText().equals("#microsoft.graph.user"))
                .filter(o -> login.equalsIgnoreCase(o.path("mail").asText(null))
                        || login.equalsIgnoreCase(o.path("userPrincipalName").asText(null)))
                .findFirst().map(JsonNode.class::cast);
    }

    /**
     * Graph's check of its bearer: signed by the tenant (here, the emulator's one key), for Graph, within its
     * lifetime; Graph answers 401 {@code InvalidAuthenticationToken} otherwise ("Access token validation failure").
     * The token's roles are the caller's from then on.
     */
    private Optional<Answer> bearer(String token) {
        Optional<JsonNode> claims = jwt.verified(token);
        if (claims.isEmpty()) {
            return Optional.of(Answer.of(401, error("InvalidAuthenticationToken",
                    "Access token validation failure. Invalid signature or malformed token.")));
        }
        String audience = claims.get().path("aud").asText();
        if (!GRAPH_AUDIENCES.contains(audience)) {
            return Optional.of(Answer.of(401, error("InvalidAuthenticationToken",
                    "Access token validation failure. Invalid audience.")));
        }
        if (claims.get().path("exp").asLong(0) < clock.instant().getEpochSecond()) {
            return Optional.of(Answer.of(401, error("InvalidAuthenticationToken",
                    "Lifetime validation failed, the token is expired.")));
        }
        Set<String> roles = new LinkedHashSet<>();
        claims.get().path("roles").forEach(role -> roles.add(role.asText()));
        callerRoles.set(Set.copyOf(roles));
        return Optional.empty();
    }

    /** Graph's application id URI and its app id, either of which a token for it names. */
    static final Set<String> GRAPH_AUDIENCES = Set.of("https://graph.microsoft.com",
            "https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000");

    private Optional<Answer> allowed(Set<String> anyOf) {
        Set<String> roles = callerRoles.get();
        return roles.stream().anyMatch(anyOf::contains) ? Optional.empty() : Optional.of(Answer.of(403, error(
                "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")));
    }

    private Answer members(String groupId, boolean transitive, String query, String self) {
        String group = groupId.toLowerCase(Locale.ROOT);
        if (!groups.containsKey(group)) {
            return Answer.of(404, error("Request_ResourceNotFound", "Resource '" + groupId
                    + "' does not exist or one of its queried reference-property objects are not present."));
        }
        List<String> ids = transitive ? new ArrayList<>(transitiveMembers(group, new LinkedHashSet<>()))
                : groups.get(group);
        int top = Math.min(MAX_TOP, intParameter(query, "\\$top=(\\d+)", PAGE));
        int skip = intParameter(query, "\\$skiptoken=(\\d+)", 0);
        ObjectNode page = JSON.createObjectNode().put("@odata.context",
                "https://graph.microsoft.com/v1.0/$metadata#directoryObjects");
        ArrayNode value = page.putArray("value");
        ids.stream().skip(skip).limit(top).forEach(id -> value.add(visible(id)));
        if (skip + top < ids.size()) {
            page.put("@odata.nextLink", self + "?$select=id,mail,userPrincipalName,displayName&$top=" + top
                    + "&$skiptoken=" + (skip + top));
        }
        return Answer.of(200, page);
    }

    /** Users (and the users of nested groups, each once); a group nested in itself is read once. */
    private Set<String> transitiveMembers(String group, Set<String> seenGroups) {
        Set<String> all = new LinkedHashSet<>();
        if (!seenGroups.add(group)) {
            return all;
        }
        for (String id : groups.getOrDefault(group, List.of())) {
            all.add(id);
            if (type(id).equals("#microsoft.graph.group")) {
                all.addAll(transitiveMembers(id, seenGroups));
            }
        }
        return all;
    }

    /** A directory object as the caller's roles let it see it. */
    private ObjectNode visible(String id) {
        ObjectNode object = directory.get(id);
        if (type(id).equals("#microsoft.graph.user") && callerRoles.get().stream().noneMatch(READ_USERS::contains)) {
            return JSON.createObjectNode().put("@odata.type", "#microsoft.graph.user").put("id", id);
        }
        return object.deepCopy();
    }

    private String type(String id) {
        ObjectNode object = directory.get(id);
        return object == null ? "#microsoft.graph.user" : object.path("@odata.type").asText("#microsoft.graph.user");
    }

    private Answer delta(String query, String host) {
        Matcher filter = Pattern.compile("id eq '([0-9a-fA-F-]{36})'").matcher(query);
        if (!filter.find()) {
            return Answer.of(400, error("BadRequest", "this emulator answers delta queries filtered to one group"));
        }
        String group = filter.group(1).toLowerCase(Locale.ROOT);
        List<Set<String>> versions = history.getOrDefault(group, List.of());
        int latest = Math.max(0, versions.size() - 1);
        String link = host + "/v1.0/groups/delta?$filter=id%20eq%20'" + group + "'&$select=members&$deltatoken=";
        ObjectNode page = JSON.createObjectNode().put("@odata.context",
                "https://graph.microsoft.com/v1.0/$metadata#groups(members)");
        ArrayNode value = page.putArray("value");
        Matcher token = Pattern.compile("\\$deltatoken=([^&]+)").matcher(query);
        if (token.find() && token.group(1).equals("latest")) {
            page.put("@odata.deltaLink", link + latest + "." + clock.instant().toEpochMilli());
            return Answer.of(200, page);
        }
        Set<String> before = Set.of();
        if (token.find(0)) {
            String[] parts = token.group(1).split("\\.");
            if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")
                    || Integer.parseInt(parts[0]) > latest) {
                return Answer.of(400, error("BadRequest", "Invalid delta token."));
            }
            if (Instant.ofEpochMilli(Long.parseLong(parts[1])).plus(deltaLinkAge).isBefore(clock.instant())) {
                return Answer.of(410, error("syncStateNotFound", "The sync state generation is no longer"
                        + " available. Start again with a full synchronization."));
            }
            before = versions.isEmpty() ? Set.of() : versions.get(Integer.parseInt(parts[0]));
        }
        List<ObjectNode> changes = new ArrayList<>();
        if (!versions.isEmpty()) {
            Set<String> now = versions.get(latest);
            for (String id : now) {
                if (!before.contains(id)) {
                    changes.add(JSON.createObjectNode().put("@odata.type", type(id)).put("id", id));
                }
            }
            for (String id : before) {
                if (!now.contains(id)) {
                    ObjectNode removed = JSON.createObjectNode().put("@odata.type", type(id)).put("id", id);
                    removed.putObject("@removed").put("reason", "deleted");
                    changes.add(removed);
                }
            }
        }
        int skip = intParameter(query, "\\$skiptoken=(\\d+)", 0);
        ObjectNode item = value.addObject().put("id", group);
        ArrayNode delta = item.putArray("members@delta");
        changes.stream().skip(skip).limit(DELTA_PAGE).forEach(delta::add);
        if (skip + DELTA_PAGE < changes.size()) {
            String from = token.find(0) ? "&$deltatoken=" + token.group(1) : "";
            page.put("@odata.nextLink", host + "/v1.0/groups/delta?$filter=id%20eq%20'" + group
                    + "'&$select=members" + from + "&$skiptoken=" + (skip + DELTA_PAGE));
        } else {
            page.put("@odata.deltaLink", link + latest + "." + clock.instant().toEpochMilli());
        }
        return Answer.of(200, page);
    }

    private Answer usersById(String query) {
        Matcher in = Pattern.compile("id in \\(([^)]*)\\)").matcher(query);
        if (!in.find()) {
            return Answer.of(400, error("Request_UnsupportedQuery", "this emulator lists users by $filter=id in"
                    + " (...) only"));
        }
        List<String> ids = new ArrayList<>();
        Matcher quoted = Pattern.compile("'([^']*)'").matcher(in.group(1));
        while (quoted.find()) {
            ids.add(quoted.group(1));
        }
        if (ids.size() > MAX_IN) {
            return Answer.of(400, error("Request_UnsupportedQuery", "Too many child clauses specified in search"
                    + " filter expression containing 'OR' operators: " + ids.size() + ". Max allowed: " + MAX_IN
                    + "."));
        }
        ObjectNode page = JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        ids.stream().filter(id -> directory.containsKey(id) && type(id).equals("#microsoft.graph.user"))
                .forEach(id -> value.add(visible(id)));
        return Answer.of(200, page);
    }

    private Answer byIds(JsonNode body) {
        if (body.path("ids").size() > MAX_BY_IDS) {
            return Answer.of(400, error("Request_BadRequest", "Too many ids: at most " + MAX_BY_IDS + "."));
        }
        Set<String> types = new LinkedHashSet<>();
        body.path("types").forEach(t -> types.add("#microsoft.graph." + t.asText().toLowerCase(Locale.ROOT)));
        ObjectNode page = JSON.createObjectNode();
        ArrayNode value = page.putArray("value");
        body.path("ids").forEach(id -> {
            if (directory.containsKey(id.asText())
                    && (types.isEmpty() || types.stream().anyMatch(t -> t.equalsIgnoreCase(type(id.asText()))))) {
                value.add(visible(id.asText()));
            }
        });
        return Answer.of(200, page);
    }

    private Answer subscriptions(String method, String id, boolean reauthorize, byte[] rawBody) {
        try {
            if (id == null && method.equals("POST")) {
                return createSubscription(JSON.readTree(rawBody));
            }
            if (id == null && method.equals("GET")) {
                ObjectNode page = JSON.createObjectNode();
                subscriptions.values().forEach(page.withArray("value")::add);
                return Answer.of(200, page);
            }
            ObjectNode existing = id == null ? null : subscriptions.get(id);
            if (existing == null) {
                return Answer.of(404, error("ResourceNotFound", "The object was not found."));
            }
            if (reauthorize && method.equals("POST")) {
                return new Answer(204, null, Map.of());
            }
            if (method.equals("PATCH")) {
                Optional<Answer> invalid = invalidExpiry(JSON.readTree(rawBody).path("expirationDateTime").asText(""));
                if (invalid.isPresent()) {
                    return invalid.get();
                }
                existing.put("expirationDateTime", JSON.readTree(rawBody).path("expirationDateTime").asText());
                return Answer.of(200, existing);
            }
            if (method.equals("DELETE")) {
                subscriptions.remove(id);
                return new Answer(204, null, Map.of());
            }
            return Answer.of(200, existing);
        } catch (IOException e) {
            return Answer.of(400, error("BadRequest", "the body is not JSON"));
        }
    }

    private Answer createSubscription(JsonNode body) {
        String resource = body.path("resource").asText("");
        if (!resource.matches("/?groups(/[0-9a-fA-F-]{36})?")) {
            return Answer.of(400, error("InvalidRequest", "this emulator takes subscriptions on groups only"));
        }
        if (!Set.of("created", "updated", "deleted").containsAll(List.of(body.path("changeType").asText("")
                .split(",")))) {
            return Answer.of(400, error("InvalidRequest", "changeType must be created, updated or deleted"));
        }
        String url = body.path("notificationUrl").asText("");
        if (!url.startsWith("https://") && !url.matches("EventGrid:\\?azuresubscriptionid=[^&]+&resourcegroup=[^&]+"
                + "&partnertopic=[^&]+&location=[^&]+")) {
            return Answer.of(400, error("InvalidRequest", "notificationUrl must be https or an Event Grid partner"
                    + " topic (EventGrid:?azuresubscriptionid=...&resourcegroup=...&partnertopic=...&location=...)"));
        }
        Optional<Answer> invalid = invalidExpiry(body.path("expirationDateTime").asText(""));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        ObjectNode created = ((ObjectNode) body.deepCopy()).put("id", UUID.randomUUID().toString())
                .put("applicationId", "00000000-0000-0000-0000-000000000000");
        subscriptions.put(created.path("id").asText(), created);
        return Answer.of(201, created);
    }

    private Optional<Answer> invalidExpiry(String text) {
        Instant expiry;
        try {
            expiry = Instant.parse(text);
        } catch (RuntimeException e) {
            return Optional.of(Answer.of(400, error("InvalidRequest", "expirationDateTime is not a date-time")));
        }
        if (!expiry.isAfter(clock.instant()) || expiry.isAfter(clock.instant().plus(MAX_GROUP_SUBSCRIPTION))) {
            return Optional.of(Answer.of(400, error("ExtensionError", "Subscription expiration can only be "
                    + MAX_GROUP_SUBSCRIPTION.toMinutes() + " minutes in the future.")));
        }
        return Optional.empty();
    }

    /** The subscriptions the app has made, as Graph would list them. */
    List<JsonNode> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    void control(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
            Matcher group = CONTROL.matcher(path);
            if (group.matches() && exchange.getRequestMethod().equals("PUT")) {
                List<JsonNode> members = new ArrayList<>();
                body.path("members").forEach(members::add);
                setMembers(group.group(1), members);
            } else if (path.equals("/emulator/graph/roles") && exchange.getRequestMethod().equals("PUT")) {
                Set<String> granted = new LinkedHashSet<>();
                body.path("roles").forEach(role -> granted.add(role.asText()));
                setRoles(granted);
            } else {
                send(exchange, 400, error("BadRequest", "PUT /emulator/graph/groups/{id} with {\"members\":[...]},"
                        + " or PUT /emulator/graph/roles with {\"roles\":[...]}"));
                return;
            }
            exchange.sendResponseHeaders(204, -1);
        }
    }

    /** A new membership (a new version for delta queries); a member without a type is a user. */
    synchronized void setMembers(String groupId, List<JsonNode> given) {
        String group = groupId.toLowerCase(Locale.ROOT);
        List<String> ids = new ArrayList<>();
        for (JsonNode member : given) {
            ObjectNode object = ((ObjectNode) member.deepCopy());
            if (!object.has("@odata.type")) {
                object.put("@odata.type", "#microsoft.graph.user");
            }
            String id = object.path("id").asText();
            directory.put(id, object);
            ids.add(id);
        }
        groups.put(group, ids);
        history.computeIfAbsent(group, g -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new LinkedHashSet<>(ids));
        directory.putIfAbsent(group, (ObjectNode) JSON.createObjectNode().put("@odata.type", "#microsoft.graph.group")
                .put("id", group));
    }

    /** The application roles granted to the control plane's identity: its tokens issued from now on carry them. */
    void setRoles(Set<String> roles) {
        granted = Set.copyOf(roles);
    }

    Set<String> grantedRoles() {
        return granted;
    }

    /** How long a delta link stays valid: seven days, as Graph keeps directory objects' state. */
    void setDeltaLinkAge(Duration age) {
        deltaLinkAge = age;
    }

    private static int intParameter(String query, String pattern, int otherwise) {
        Matcher matcher = Pattern.compile(pattern).matcher(query);
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : otherwise;
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("code", code).put("message", message);
        return error;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
