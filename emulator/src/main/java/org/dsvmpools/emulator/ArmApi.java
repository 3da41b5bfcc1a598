package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.dsvmpools.kit.arm.ArmContract;
import org.dsvmpools.kit.arm.ArmRequest;
import org.dsvmpools.kit.arm.ArmState;
import org.dsvmpools.kit.arm.ArmViolation;

/**
 * Azure Resource Manager as the unchanged Azure SDK clients see it: a generic resource store with ARM's ids,
 * errors and long-running operations, plus what this product relies on (storage account keys, scale sets with
 * instances and power states, role assignments as plain resources). Requests are served one at a time, which
 * keeps the model simple and is plenty for one developer's control plane.
 *
 * <p>Every PUT and PATCH is held against {@link ArmContract}, Azure's published schema of its type and api-version
 * and the semantic rules of its resource provider, and refused as ARM refuses it: whatever this accepts, the
 * tests trust.
 */
final class ArmApi implements HttpHandler, ArmState {
    static final String OPERATIONS = "Microsoft.Emulator/operations";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SCALE_SET_NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?");
    private static final String EMULATOR_TENANT = "00000000-0000-0000-0000-0000000e1e1e";
    /** How long a finished operation can still be asked about. */
    private static final Duration OPERATION_MEMORY = Duration.ofMinutes(10);
    private static final Pattern RESOURCE_NAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.()-]{0,78}[A-Za-z0-9_)])?");

    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final Map<String, Operation> operations = new HashMap<>();
    private final Map<String, ScaleSet> scaleSets = new HashMap<>();
    private final NatRulePorts natPorts = new NatRulePorts();
    private final TimeModel time;
    private final Faults faults;
    private final StorageAccounts storage;
    private final String baseUrl;
    private final RequestLog log;
    private final ArmContract contract;
    /** The directory's principals: managed identities made here, and those registered from outside. */
    private final Set<String> principals = ConcurrentHashMap.newKeySet();

    ArmApi(TimeModel time, Faults faults, StorageAccounts storage, String baseUrl, RequestLog log,
           ArmContract contract) {
        this.time = time;
        this.faults = faults;
        this.storage = storage;
        this.baseUrl = baseUrl;
        this.log = log;
        this.contract = contract;
    }

    /** User-assigned identities made outside the pools (by the control plane's template): ARM id to its ids. */
    private final Map<String, ObjectNode> userAssignedIdentities = new ConcurrentHashMap<>();
    private static final java.util.regex.Pattern USER_ASSIGNED_ID = java.util.regex.Pattern.compile(
            "/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.ManagedIdentity/userAssignedIdentities/[^/]+",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /** A user-assigned identity that resources may carry; its principal joins the directory. */
    void registerUserAssignedIdentity(String id, String clientId, String principalId) {
        userAssignedIdentities.put(id.toLowerCase(Locale.ROOT), new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode().put("principalId", principalId).put("clientId", clientId));
        registerPrincipal(principalId);
    }

    /**
     * The user-assigned identities a resource names must be identity ids (400 InvalidIdentityValues) that exist
     * (400 FailedIdentityOperation, as the identity resource provider's "was not found" comes back); each gets
     * its principal and client id, as ARM shows them.
     */
    private void attachUserAssignedIdentities(ArmPath arm, ObjectNode document) {
        JsonNode named = document.path("identity").path("userAssignedIdentities");
        boolean userAssigned = document.path("identity").path("type").asText("").contains("UserAssigned");
        if (!named.isObject() || named.isEmpty()) {
            if (userAssigned) {
                throw new ArmError(400, "InvalidIdentityValues", "Invalid value for the identities ''. The"
                        + " 'userAssignedIdentities' property must name the identities of type UserAssigned.");
            }
            return;
        }
        ObjectNode attached = document.withObjectProperty("identity").putObject("userAssignedIdentities");
        named.fieldNames().forEachRemaining(id -> {
            if (!USER_ASSIGNED_ID.matcher(id).matches() || !userAssigned) {
                throw new ArmError(400, "InvalidIdentityValues", "Invalid value for the identities '" + id
                        + "'. The 'userAssignedIdentities' property keys should only be empty or valid ARM resource"
                        + " identifiers of user assigned identities.");
            }
            ObjectNode known = userAssignedIdentities.get(id.toLowerCase(Locale.ROOT));
            if (known == null) {
                throw new ArmError(400, "FailedIdentityOperation", "Identity operation for resource '" + arm.id()
                        + "' failed with error 'Failed to perform resource identity operation. Status: 'BadRequest'."
                        + " Response: '{\"error\":{\"code\":\"BadRequest\",\"message\":\"Resource '" + id
                        + "' was not found.\"}}'.'.");
            }
            attached.set(id, known.deepCopy());
        });
    }

    /**
     * The system-assigned principal of a scale set, found by resource group and name in any subscription: what
     * the metadata service of one of its instances issues tokens for.
     */
    Optional<String> scaleSetPrincipal(String resourceGroup, String name) {
        String suffix = ("/resourceGroups/" + resourceGroup + "/providers/Microsoft.Compute/virtualMachineScaleSets/"
                + name).toLowerCase(Locale.ROOT);
        return resources.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).findFirst()
                .map(e -> e.getValue().document.path("identity").path("principalId").asText(""))
                .filter(principal -> !principal.isEmpty());
    }

    /** A principal of the directory outside this emulator's resources (the control plane's identity, a user). */
    void registerPrincipal(String principalId) {
        principals.add(principalId.toLowerCase(Locale.ROOT));
    }

    @Override
    public Optional<JsonNode> resource(String id) {
        return Optional.ofNullable(resources.get(ArmPath.key(id))).map(r -> r.view(time.now()));
    }

    @Override
    public List<JsonNode> roleAssignmentsAt(String scope) {
        String prefix = ArmPath.key(scope) + "/providers/microsoft.authorization/roleassignments/";
        return resources.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)
                        && e.getKey().indexOf('/', prefix.length()) < 0)
                .map(e -> (JsonNode) e.getValue().view(time.now())).toList();
    }

    @Override
    public boolean principalExists(String principalId) {
        return principals.contains(principalId.toLowerCase(Locale.ROOT));
    }

    /** Refuses, as ARM does, a write that breaks Azure's contract; the first violation is the answer. */
    private void enforce(String method, ArmPath arm, String query, ObjectNode body) {
        List<ArmViolation> violations = contract.check(new ArmRequest(method, arm.id(), arm.resourceType(),
                apiVersion(query), body), this);
        if (!violations.isEmpty()) {
            ArmViolation first = violations.get(0);
            throw new ArmError(first.status(), first.code(), first.message(), first.target());
        }
    }

    private static String apiVersion(String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("api-version=")) {
                    return pair.substring("api-version=".length());
                }
            }
        }
        return "";
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            serve(exchange);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        Instant received = time.now();
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        Response response = answer(exchange, method);
        log.add(new RequestLog.Entry(received, method, requestPath(exchange.getRequestURI()), response.status,
                response.doneAt == null ? Duration.ZERO : Duration.between(received, response.doneAt)));
        send(exchange, response.status, response.body, response.headers);
    }

    private Response answer(HttpExchange exchange, String method) throws IOException {
        try {
            String path = requestPath(exchange.getRequestURI());
            ArmPath arm = ArmPath.parse(path, method.equals("POST"));
            Optional<Faults.Fault> fault = faults.check(method, path, arm == null ? null : arm.resourceType());
            if (fault.isPresent() && fault.get().latencyMillis() > 0) {
                sleep(fault.get().latencyMillis());
            }
            if (fault.isPresent() && fault.get().status() > 0) {
                Faults.Fault f = fault.get();
                Map<String, String> headers = f.status() == 429 || f.status() == 503
                        ? Map.of("Retry-After", "" + f.retryAfterSeconds()) : Map.of();
                return new Response(f.status(), error(f.code(), f.message()), headers);
            }
            if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                return new Response(401, error("AuthenticationFailed", "Authentication failed. The 'Authorization'"
                        + " header is missing."), Map.of());
            }
            if (arm == null) {
                return new Response(404, error("InvalidResourceType", "no ARM resource at " + path), Map.of());
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            synchronized (this) {
                completeDue(time.now());
                return route(method, arm, exchange.getRequestURI().getRawQuery(), body);
            }
        } catch (ArmError e) {
            ObjectNode body = error(e.code, e.getMessage());
            if (e.target != null) {
                ((ObjectNode) body.get("error")).put("target", e.target);
            }
            return new Response(e.status, body, Map.of());
        } catch (RuntimeException e) {
            System.err.println("emulator: ARM request failed: " + e);
            return new Response(500, error("InternalServerError", e.toString()), Map.of());
        }
    }

    /**
     * Finishes every operation whose time has come, whoever asks: a client that never polls an operation (the
     * worker reads the resource instead) still sees a deleted resource disappear.
     */
    private void completeDue(Instant now) {
        // Asking an operation its status completes it when due; one finished long ago is forgotten.
        operations.values().removeIf(operation -> !operation.status(now).equals("InProgress")
                && now.isAfter(operation.doneAt.plus(OPERATION_MEMORY)));
    }

    /**
     * The path as sent. A scope written with its leading slash ("/{scope}/providers/...", as the authorization
     * SDK does with a resource id) arrives as "//subscriptions/...", which java.net.URI reads as an authority.
     */
    private static String requestPath(java.net.URI uri) {
        return uri.getScheme() == null && uri.getRawAuthority() != null
                ? "/" + uri.getRawAuthority() + uri.getPath()
                : uri.getPath();
    }

    /** @param doneAt when the operation this response began ends, or null when it began none */
    private record Response(int status, JsonNode body, Map<String, String> headers, Instant doneAt) {
        Response(int status, JsonNode body, Map<String, String> headers) {
            this(status, body, headers, null);
        }

        static Response ok(JsonNode body) {
            return new Response(200, body, Map.of());
        }
    }

    private Response route(String method, ArmPath arm, String query, byte[] body) {
        Instant now = time.now();
        if (arm.resourceType().equalsIgnoreCase(OPERATIONS)) {
            return operationStatus(arm.name(), query);
        }
        if (arm.isResourceGroup() && "resources".equalsIgnoreCase(arm.action()) && method.equals("GET")) {
            return Response.ok(list(r -> r.id.toLowerCase(Locale.ROOT).startsWith(ArmPath.key(arm.id()) + "/providers/")
                    && !isNested(r) && !isExtension(r), now));
        }
        if (arm.isCollection()) {
            return collection(arm, query, now);
        }
        if (arm.action() != null && method.equals("POST")) {
            return action(arm, body, now);
        }
        if (isScaleSetInstance(arm)) {
            return scaleSetInstance(method, arm, query, body, now);
        }
        return switch (method) {
            case "GET" -> Response.ok(find(arm).view(now));
            case "HEAD" -> new Response(find(arm) == null ? 404 : 204, null, Map.of());
            case "PUT" -> put(arm, query, body, false, now);
            case "PATCH" -> put(arm, query, body, true, now);
            case "DELETE" -> delete(arm, now);
            default -> throw new ArmError(405, "MethodNotAllowed", method + " is not supported here");
        };
    }

    private Resource find(ArmPath arm) {
        Resource resource = resources.get(ArmPath.key(arm.id()));
        if (resource == null) {
            if (arm.isResourceGroup()) {
                throw ArmError.groupNotFound(arm.resourceGroup());
            }
            if (arm.resourceGroup() != null && !groupExists(arm)) {
                throw ArmError.groupNotFound(arm.resourceGroup());
            }
            throw ArmError.notFound(arm);
        }
        return resource;
    }

    private boolean groupExists(ArmPath arm) {
        return resources.containsKey(ArmPath.key("/subscriptions/" + arm.subscription() + "/resourceGroups/"
                + arm.resourceGroup()));
    }

    private Response put(ArmPath arm, String query, byte[] body, boolean merge, Instant now) {
        ObjectNode document = parse(body);
        enforce(merge ? "PATCH" : "PUT", arm, query, document);
        if (!arm.isResourceGroup()) {
            if (!groupExists(arm)) {
                throw ArmError.groupNotFound(arm.resourceGroup());
            }
            if (needsParent(arm) && !resources.containsKey(ArmPath.key(arm.parentId()))) {
                throw new ArmError(404, "ParentResourceNotFound", "Can not perform requested operation on nested"
                        + " resource. Parent resource '" + arm.parentId() + "' not found.");
            }
            checkName(arm);
        } else if (!document.hasNonNull("location")) {
            throw ArmError.invalid("The 'location' of resource group '" + arm.name() + "' is required.");
        }
        Resource existing = resources.get(ArmPath.key(arm.id()));
        if (existing != null && merge) {
            document = merge(existing.document.deepCopy(), document);
        } else if (existing == null && merge) {
            throw ArmError.notFound(arm);
        }
        if (existing == null && arm.resourceType().equalsIgnoreCase("Microsoft.Storage/storageAccounts")) {
            storage.register(arm.name(), arm.id());
        }
        attachUserAssignedIdentities(arm, document);
        String earlierPrincipal = existing == null ? ""
                : existing.document.path("identity").path("principalId").asText("");
        Resource resource = existing != null ? existing : new Resource(arm.id(), arm.resourceType(), arm.name(), document);
        resource.document = document;
        if (!document.hasNonNull("location") && arm.resourceGroup() != null && !arm.isResourceGroup()) {
            Resource group = resources.get(ArmPath.key("/subscriptions/" + arm.subscription() + "/resourceGroups/"
                    + arm.resourceGroup()));
            if (group != null && !arm.resourceType().contains("Authorization")) {
                document.put("location", group.document.path("location").asText());
            }
        }
        resources.put(ArmPath.key(arm.id()), resource);
        assignIdentity(document, earlierPrincipal);
        assignDnsName(arm, document);
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Storage/storageAccounts/fileServices/shares")) {
            storage.createShare(accountOf(arm), arm.name());
        }
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Storage/storageAccounts")) {
            storage.firewall(arm.name(), document.path("properties").path("networkAcls"));
        }
        if (arm.isResourceGroup() || isInstantResource(arm)) {
            resource.readyAt = null;
            // A file service's properties are set, not created: the Storage RP answers 200 either way.
            boolean created = existing == null && !arm.resourceType().toLowerCase(Locale.ROOT).endsWith("/fileservices");
            return new Response(created ? 201 : 200, resource.view(now), Map.of());
        }
        Instant readyAt = time.after(TimeModel.CREATE_RESOURCE);
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Compute/virtualMachineScaleSets")) {
            ScaleSet scaleSet = scaleSets.computeIfAbsent(ArmPath.key(arm.id()), k -> new ScaleSet());
            int capacity = document.path("sku").path("capacity").asInt(scaleSet.count(now, time));
            readyAt = later(readyAt, scaleSet.scaleTo(capacity, now, time));
            document.withObjectProperty("sku").put("capacity", scaleSet.count(now, time));
        }
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Storage/storageAccounts")) {
            storage.describe(arm.name(), document);
        }
        resource.provisioningWhileBusy = existing == null ? "Creating" : "Updating";
        resource.readyAt = readyAt;
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Storage/storageAccounts")) {
            // The Storage resource provider answers a create with 202 and a Location to poll, not 201.
            return accepted(202, null, readyAt, () -> { });
        }
        return accepted(existing == null ? 201 : 200, resource.view(now), readyAt, () -> { });
    }

    /**
     * Role assignments, file service properties and file shares are created synchronously by their resource
     * providers: there is no operation to poll.
     */
    private static boolean isInstantResource(ArmPath arm) {
        String type = arm.resourceType().toLowerCase(Locale.ROOT);
        return type.startsWith("microsoft.authorization/")
                || type.startsWith("microsoft.storage/storageaccounts/fileservices");
    }

    /**
     * A system-assigned identity gets its principal, a new one in the directory, when first asked for, and keeps
     * it across updates, as in Azure: the principal is read from the document as it was before this write.
     */
    private void assignIdentity(ObjectNode document, String earlierPrincipal) {
        if (!document.path("identity").path("type").asText("").contains("SystemAssigned")) {
            return;
        }
        ObjectNode identity = document.withObjectProperty("identity");
        String principal = earlierPrincipal.isEmpty() ? UUID.randomUUID().toString() : earlierPrincipal;
        identity.put("principalId", principal);
        identity.put("tenantId", EMULATOR_TENANT);
        registerPrincipal(principal);
    }

    /** A public IP with a DNS label gets Azure's name for it: label.region.cloudapp.azure.com. */
    private static void assignDnsName(ArmPath arm, ObjectNode document) {
        JsonNode label = document.path("properties").path("dnsSettings").path("domainNameLabel");
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Network/publicIPAddresses") && label.isTextual()) {
            document.withObjectProperty("properties").withObjectProperty("dnsSettings").put("fqdn",
                    label.asText() + "." + document.path("location").asText("local") + ".cloudapp.azure.com");
        }
    }

    /** A nested resource needs its parent, except the implicit "default" services of a storage account. */
    private static boolean needsParent(ArmPath arm) {
        String parent = arm.parentId().toLowerCase(Locale.ROOT);
        return parent.contains("/providers/") && !parent.endsWith("services/default");
    }

    private void checkName(ArmPath arm) {
        String type = arm.resourceType().toLowerCase(Locale.ROOT);
        if (type.equals("microsoft.storage/storageaccounts")) {
            storage.checkName(arm.name(), arm.id());
        } else if (type.equals("microsoft.compute/virtualmachinescalesets")) {
            if (!SCALE_SET_NAME.matcher(arm.name()).matches()) {
                throw new ArmError(400, "InvalidParameter", "The scale set name '" + arm.name() + "' is invalid: 1-64"
                        + " characters, letters, digits, '_', '.', '-', starting with a letter or digit.");
            }
        } else if (!type.startsWith("microsoft.authorization/") && !RESOURCE_NAME.matcher(arm.name()).matches()) {
            throw new ArmError(400, "InvalidResourceName", "Resource name " + arm.name() + " is invalid.");
        }
    }

    private Response delete(ArmPath arm, Instant now) {
        Resource resource = resources.get(ArmPath.key(arm.id()));
        if (resource == null) {
            return new Response(204, null, Map.of());
        }
        String prefix = ArmPath.key(arm.id());
        if (isInstantResource(arm)) {
            // As in Azure, a role assignment or share goes at once, and the answer is what was deleted.
            resources.keySet().removeIf(key -> key.equals(prefix) || key.startsWith(prefix + "/"));
            return Response.ok(resource.view(now));
        }
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Storage/storageAccounts")) {
            // The Storage resource provider deletes an account synchronously: 200, no operation.
            resources.keySet().removeIf(key -> key.equals(prefix) || key.startsWith(prefix + "/"));
            storage.forget(prefix);
            return new Response(200, null, Map.of());
        }
        Instant doneAt = time.after(arm.isResourceGroup() ? TimeModel.CREATE_RESOURCE : TimeModel.DELETE_INSTANCE);
        resource.provisioningWhileBusy = "Deleting";
        resource.readyAt = doneAt;
        String operation = register(doneAt, () -> {
            resources.keySet().removeIf(key -> key.equals(prefix) || key.startsWith(prefix + "/"));
            scaleSets.keySet().removeIf(key -> key.equals(prefix) || key.startsWith(prefix + "/"));
            storage.forget(prefix);
        });
        return new Response(202, null, Map.of("Location", operationUrl(arm.subscription(), operation) + "&kind=location",
                "Azure-AsyncOperation", operationUrl(arm.subscription(), operation),
                "Retry-After", retryAfter(doneAt, now)), doneAt);
    }

    private Response collection(ArmPath arm, String query, Instant now) {
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Compute/virtualMachineScaleSets/virtualMachines/instanceView")) {
            ArmPath vm = ArmPath.parse(arm.parentId(), false);
            Resource scaleSet = find(ArmPath.parse(vm.parentId(), false));
            ScaleSetInstance instance = scaleSets.get(ArmPath.key(scaleSet.id)).instance(vm.name(), now, time);
            if (instance == null) {
                throw ArmError.notFound(vm);
            }
            return Response.ok(ScaleSet.instanceView(instance));
        }
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Compute/virtualMachineScaleSets/virtualMachines")) {
            Resource scaleSet = resources.get(ArmPath.key(arm.parentId()));
            if (scaleSet == null) {
                throw ArmError.notFound(ArmPath.parse(arm.parentId(), false));
            }
            boolean expand = query != null && query.toLowerCase(Locale.ROOT).contains("instanceview");
            ArrayNode value = JSON.createArrayNode();
            for (ScaleSetInstance instance : scaleSets.get(ArmPath.key(scaleSet.id)).instances(now, time)) {
                value.add(ScaleSet.view(scaleSet, instance, expand, now, time));
            }
            ObjectNode page = JSON.createObjectNode();
            page.set("value", value);
            return Response.ok(page);
        }
        String type = arm.resourceType().toLowerCase(Locale.ROOT);
        String scope = ArmPath.key(arm.id()).substring(0, ArmPath.key(arm.id()).lastIndexOf("/providers/"));
        return Response.ok(list(r -> r.type.toLowerCase(Locale.ROOT).equals(type)
                && r.id.toLowerCase(Locale.ROOT).startsWith(scope + "/"), now));
    }

    private ObjectNode list(java.util.function.Predicate<Resource> filter, Instant now) {
        ArrayNode value = JSON.createArrayNode();
        resources.values().stream().filter(filter).forEach(r -> value.add(r.view(now)));
        ObjectNode page = JSON.createObjectNode();
        page.set("value", value);
        return page;
    }

    /** An extension resource (a role assignment) lives on another resource and is not listed with the group's. */
    private static boolean isExtension(Resource resource) {
        String id = resource.id.toLowerCase(Locale.ROOT);
        return id.indexOf("/providers/") != id.lastIndexOf("/providers/");
    }

    private static boolean isNested(Resource resource) {
        return resource.type.chars().filter(c -> c == '/').count() > 1;
    }

    private Response action(ArmPath arm, byte[] body, Instant now) {
        String action = arm.action().toLowerCase(Locale.ROOT);
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Storage/storageAccounts") && action.equals("listkeys")) {
            find(arm);
            return Response.ok(storage.keys(arm.name()));
        }
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Compute/virtualMachineScaleSets")) {
            return scaleSetAction(arm, action, parse(body), now);
        }
        if (arm.resourceType().equalsIgnoreCase("Microsoft.Network/loadBalancers/backendAddressPools")
                && action.equals("queryinboundnatruleportmapping")) {
            return natPortMappings(arm, parse(body), now);
        }
        if (isScaleSetInstance(arm)) {
            ArmPath scaleSetPath = ArmPath.parse(arm.parentId(), false);
            ObjectNode ids = JSON.createObjectNode();
            ids.putArray("instanceIds").add(arm.name());
            return scaleSetAction(scaleSetPath, action, ids, now);
        }
        throw new ArmError(400, "InvalidAction", "action '" + arm.action() + "' is not supported on "
                + arm.resourceType());
    }

    /** ARM's "List Inbound Nat Rule Port Mappings" for one scale set instance, named by its IP configuration. */
    private Response natPortMappings(ArmPath pool, ObjectNode body, Instant now) {
        Resource lb = find(ArmPath.parse(pool.parentId(), false));
        String ipConfiguration = body.path("ipConfiguration").path("id").asText("");
        int at = ipConfiguration.toLowerCase(Locale.ROOT).indexOf("/virtualmachines/");
        String scaleSetId = at < 0 ? "" : ipConfiguration.substring(0, at);
        String instanceId = at < 0 ? "" : ipConfiguration.substring(at + "/virtualMachines/".length()).split("/")[0];
        ScaleSet scaleSet = scaleSets.get(ArmPath.key(scaleSetId));
        if (scaleSet == null || scaleSet.instance(instanceId, now, time) == null
                || !NatRulePorts.inPool(resources.get(ArmPath.key(scaleSetId)).document, pool.id())) {
            throw new ArmError(400, "InvalidParameter", "IP configuration " + ipConfiguration
                    + " is not a member of backend address pool " + pool.id() + ".");
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.set("inboundNatRulePortMappings", natPorts.mappings(lb.id, lb.document, pool.id(),
                ArmPath.key(scaleSetId) + "#" + instanceId, member -> {
                    String[] parts = member.split("#");
                    ScaleSet set = scaleSets.get(parts[0]);
                    return set != null && set.instance(parts[1], now, time) != null;
                }));
        return Response.ok(answer);
    }

    private Response scaleSetAction(ArmPath arm, String action, ObjectNode body, Instant now) {
        Resource resource = find(arm);
        ScaleSet scaleSet = scaleSets.get(ArmPath.key(resource.id));
        List<ScaleSetInstance> targets = new ArrayList<>();
        JsonNode ids = body.path("instanceIds");
        for (ScaleSetInstance instance : scaleSet.instances(now, time)) {
            if (!ids.isArray() || ids.isEmpty() || contains(ids, instance.instanceId)) {
                targets.add(instance);
            }
        }
        if (ids.isArray()) {
            for (JsonNode id : ids) {
                if (scaleSet.instance(id.asText(), now, time) == null) {
                    throw new ArmError(400, "InvalidParameter", "Instance id " + id.asText()
                            + " is not an active Virtual Machine Scale Set VM instanceId.");
                }
            }
        }
        Instant doneAt = now;
        for (ScaleSetInstance instance : targets) {
            Instant done = switch (action) {
                case "start" -> scaleSet.start(instance, now, time);
                case "deallocate" -> scaleSet.deallocate(instance, now, time);
                case "delete" -> scaleSet.delete(instance, now, time);
                default -> throw new ArmError(400, "InvalidAction", "scale set action '" + action + "' is not supported");
            };
            doneAt = later(doneAt, done);
        }
        if (action.equals("delete")) {
            resource.document.withObjectProperty("sku").put("capacity", scaleSet.count(now, time));
        }
        return accepted(202, null, doneAt, () -> { });
    }

    private static boolean contains(JsonNode ids, String id) {
        for (JsonNode candidate : ids) {
            if (candidate.asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isScaleSetInstance(ArmPath arm) {
        return arm.resourceType().equalsIgnoreCase("Microsoft.Compute/virtualMachineScaleSets/virtualMachines");
    }

    private Response scaleSetInstance(String method, ArmPath arm, String query, byte[] body, Instant now) {
        Resource scaleSetResource = find(ArmPath.parse(arm.parentId(), false));
        ScaleSet scaleSet = scaleSets.get(ArmPath.key(scaleSetResource.id));
        ScaleSetInstance instance = scaleSet.instance(arm.name(), now, time);
        if (instance == null) {
            throw ArmError.notFound(arm);
        }
        switch (method) {
            case "GET":
                return Response.ok(query != null && query.toLowerCase(Locale.ROOT).contains("userdata")
                        ? ScaleSet.viewWithUserData(scaleSetResource, instance, now, time)
                        : ScaleSet.view(scaleSetResource, instance, false, now, time));
            case "PUT":
            case "PATCH":
                ObjectNode update = parse(body);
                enforce(method, arm, query, update);
                JsonNode properties = update.path("properties");
                JsonNode protection = properties.path("protectionPolicy");
                if (protection.has("protectFromScaleIn")) {
                    instance.protectFromScaleIn = protection.path("protectFromScaleIn").asBoolean();
                }
                if (properties.hasNonNull("userData")) {
                    instance.userData = properties.path("userData").asText();
                }
                return accepted(200, ScaleSet.view(scaleSetResource, instance, false, now, time),
                        time.after(Duration.ofSeconds(5)), () -> { });
            case "DELETE":
                Instant doneAt = scaleSet.delete(instance, now, time);
                scaleSetResource.document.withObjectProperty("sku").put("capacity", scaleSet.count(now, time));
                return accepted(202, null, doneAt, () -> { });
            default:
                throw new ArmError(405, "MethodNotAllowed", method + " is not supported on instances");
        }
    }

    /**
     * The status of a long-running operation: at its Azure-AsyncOperation URL a status document, at its Location
     * URL (marked {@code kind=location}) 202 until done, then 200.
     */
    private Response operationStatus(String id, String query) {
        Operation operation = operations.get(id);
        if (operation == null) {
            throw new ArmError(404, "OperationNotFound", "operation " + id + " not found");
        }
        String status = operation.status(time.now());
        boolean location = query != null && query.contains("kind=location");
        if (location) {
            return status.equals("InProgress")
                    ? new Response(202, null, Map.of("Location", operationUrl("x", id) + "&kind=location",
                    "Retry-After", retryAfter(operation.doneAt, time.now())))
                    : new Response(200, JSON.createObjectNode(), Map.of());
        }
        ObjectNode body = JSON.createObjectNode().put("name", id).put("status", status);
        if (operation.error() != null) {
            body.putObject("error").put("code", operation.error().code).put("message", operation.error().getMessage());
        }
        return new Response(200, body, status.equals("InProgress")
                ? Map.of("Retry-After", retryAfter(operation.doneAt, time.now())) : Map.of());
    }

    private Response accepted(int status, JsonNode body, Instant doneAt, Runnable onDone) {
        String operation = register(doneAt, onDone);
        String url = operationUrl("emulator", operation);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Azure-AsyncOperation", url);
        headers.put("Retry-After", retryAfter(doneAt, time.now()));
        if (status == 202) {
            headers.put("Location", url + "&kind=location");
        }
        return new Response(status, body, headers, doneAt);
    }

    private String register(Instant doneAt, Runnable onDone) {
        String id = UUID.randomUUID().toString();
        operations.put(id, new Operation(id, doneAt, onDone));
        return id;
    }

    private String operationUrl(String subscription, String operation) {
        return baseUrl + "/subscriptions/" + subscription + "/providers/" + OPERATIONS + "/" + operation
                + "?api-version=2024-01-01";
    }

    /** Whole seconds, at least 1, as ARM sends it. */
    private static String retryAfter(Instant doneAt, Instant now) {
        long millis = Math.max(0, Duration.between(now, doneAt).toMillis());
        return "" + Math.max(1, (millis + 999) / 1000);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static String accountOf(ArmPath share) {
        String[] parts = share.id().split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equalsIgnoreCase("storageAccounts")) {
                return parts[i + 1];
            }
        }
        throw ArmError.invalid("share path names no storage account");
    }

    private static ObjectNode merge(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(field -> {
            JsonNode current = target.get(field.getKey());
            if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode patchObject) {
                merge(currentObject, patchObject);
            } else {
                target.set(field.getKey(), field.getValue());
            }
        });
        return target;
    }

    private static ObjectNode parse(byte[] body) {
        if (body.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException e) {
            throw new ArmError(400, "InvalidRequestContent", "The request content was invalid: " + e.getMessage());
        }
        throw new ArmError(400, "InvalidRequestContent", "The request content must be a JSON object.");
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body, Map<String, String> headers)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        byte[] bytes = body == null ? new byte[0] : body.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        boolean noBody = bytes.length == 0 || status == 204 || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
