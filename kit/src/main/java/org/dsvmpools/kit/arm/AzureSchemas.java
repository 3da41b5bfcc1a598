package org.dsvmpools.kit.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Microsoft's ARM resource schemas (the azure-resource-manager-schemas repository) read from a folder laid out as
 * {@code <api-version>/<Namespace>.json}, and request bodies checked against them with a JSON Schema validator
 * (types, enums, required properties, patterns) plus a walk that flags properties the schema does not define,
 * since the schemas never say {@code additionalProperties: false}.
 *
 * <p>The schemas describe template resources: every value may also be a template expression, and the resource
 * carries {@code name}, {@code type} and {@code apiVersion}. A request body holds neither, so on loading each
 * expression alternative is dropped (a value that is not what the resource provider takes must fail, not match
 * the expression string) and the template-only required properties are no longer required. A schema's
 * required list is therefore no stronger than the template's: where the REST reference requires more (a storage
 * account's sku, kind and location), the request fails later, at ARM, as it would without the emulator.
 */
public final class AzureSchemas {
    /** The folder's setting: an environment variable or a system property of this name. */
    public static final String SETTING = "DSVMPOOLS_AZURE_SCHEMAS";
    static final String BASE = "https://schema.management.azure.com/schemas/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, AzureSchemas> LOADED = new ConcurrentHashMap<>();
    private static final List<String> SECTIONS = List.of("resourceDefinitions", "subscription_resourceDefinitions",
            "extension_resourceDefinitions", "managementGroup_resourceDefinitions", "tenant_resourceDefinitions");
    /**
     * Required in a template, not in a request: {@code name}, {@code type} and {@code apiVersion} are in the URL,
     * and {@code properties} is marked required by the schema generator where the REST reference leaves it
     * optional (a resource group with only a location is a valid request).
     */
    private static final List<String> TEMPLATE_ONLY = List.of("name", "type", "apiVersion", "properties");

    private final Path folder;
    private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();
    /** type (lower case) to api-version to the schema location of its resource definition. */
    private final Map<String, Map<String, String>> definitions = new HashMap<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final SchemaRegistry registry;

    private AzureSchemas(Path folder) {
        this.folder = folder;
        index();
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4,
                builder -> builder.schemas(iri -> document(iri).map(JsonNode::toString).orElse(null)));
    }

    /**
     * The schemas in {@code folder}, or empty when it does not hold them. Read once per folder and process: they
     * never change while it runs, and every emulator a test starts would otherwise index them again.
     */
    public static Optional<AzureSchemas> load(Path folder) {
        if (folder == null || !Files.isDirectory(folder.resolve("common"))) {
            return Optional.empty();
        }
        return Optional.of(LOADED.computeIfAbsent(folder.toAbsolutePath().normalize(), AzureSchemas::new));
    }

    /** Set to {@code true} (as {@code .ci/run} does where the schemas are beside the checkout) and they must be found. */
    public static final String REQUIRED_SETTING = "DSVMPOOLS_REQUIRE_SCHEMAS";

    /**
     * The schemas for a test from {@link #defaultFolder()}: empty where they are absent (a test then skips with a
     * message), except where they are required ({@value #REQUIRED_SETTING}{@code =true}):
     * there their absence fails the test, so CI never passes with the schema checks silently off (#30).
     */
    public static Optional<AzureSchemas> forTests() {
        Optional<AzureSchemas> loaded = load(defaultFolder());
        if (loaded.isEmpty() && required(System.getenv())) {
            throw new IllegalStateException("Azure's schemas are required here (" + REQUIRED_SETTING + " is"
                    + " true) but are not at " + defaultFolder() + "; set " + SETTING + " or check out ../shared");
        }
        return loaded;
    }

    static boolean required(java.util.Map<String, String> environment) {
        return "true".equalsIgnoreCase(environment.get(REQUIRED_SETTING));
    }

    /**
     * Where the schemas are: the {@value #SETTING} setting when given, else {@code shared/azure-schemas} in the
     * working directory or the nearest folder above it that has one (the project's {@code ../shared/azure-schemas}
     * from anywhere inside the project).
     */
    public static Path defaultFolder() {
        String setting = System.getProperty(SETTING, System.getenv(SETTING));
        if (setting != null && !setting.isBlank()) {
            return Path.of(setting).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("azure-schemas");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return Path.of("..", "shared", "azure-schemas").toAbsolutePath().normalize();
    }

    public Path folder() {
        return folder;
    }

    /** Whether a schema describes this type at this api-version. */
    public boolean knows(String type, String apiVersion) {
        return definitions.getOrDefault(type.toLowerCase(Locale.ROOT), Map.of()).containsKey(apiVersion);
    }

    /**
     * The properties a template resource's body names that the schema for its type and api-version does not
     * define, as paths ({@code properties.allowSharedKeyAcess}); literal names only, expressions left alone.
     *
     * @throws IllegalArgumentException when no schema describes the type at the api-version ({@link #knows})
     */
    public List<String> undefinedProperties(String type, String apiVersion, JsonNode body) {
        String location = definitions.getOrDefault(type.toLowerCase(Locale.ROOT), Map.of()).get(apiVersion);
        if (location == null) {
            throw new IllegalArgumentException("no schema for " + type + "@" + apiVersion + " in " + folder);
        }
        return new UndefinedProperties(this).in(location, body);
    }

    /**
     * What ARM would refuse in this body: one violation per fault, in the body's order; a type or api-version
     * without a schema is a violation in itself, so that an SDK upgrade cannot slip past unchecked.
     */
    public List<ArmViolation> check(ArmRequest request) {
        Map<String, String> versions = definitions.get(request.type().toLowerCase(Locale.ROOT));
        if (versions == null) {
            return List.of(ArmViolation.badRequest("InvalidResourceType", "The resource type '" + request.type()
                    + "' has no schema in " + folder + ": the emulator cannot check it.", null));
        }
        String location = versions.get(request.apiVersion());
        if (location == null) {
            return List.of(ArmViolation.badRequest("NoRegisteredProviderFound", "No registered resource provider found"
                    + " for API version '" + request.apiVersion() + "' and type '" + request.type() + "'. The api-versions"
                    + " with a schema in " + folder + " are '" + String.join(", ", versions.keySet().stream().sorted()
                    .toList()) + "'.", null));
        }
        List<ArmViolation> violations = new ArrayList<>();
        for (Error error : schema(location).validate(request.body())) {
            if (request.partial() && "required".equals(error.getKeyword())) {
                continue;
            }
            String path = armPath(error.getInstanceLocation().toString());
            violations.add(ArmViolation.badRequest("InvalidRequestContent", "The request content was invalid: "
                    + error.getMessage() + " (path '" + path + "')", path));
        }
        for (String path : new UndefinedProperties(this).in(location, request.body())) {
            violations.add(ArmViolation.badRequest("InvalidRequestContent", "The request content was invalid: the"
                    + " property '" + path + "' is not defined for " + request.type() + " at api-version "
                    + request.apiVersion() + ".", path));
        }
        return violations;
    }

    /** A JSON pointer as ARM writes a path in its messages: {@code properties.securityRules[0].properties.priority}. */
    static String armPath(String pointer) {
        StringBuilder path = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.matches("\\d+")) {
                path.append('[').append(name).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(name);
            }
        }
        return path.toString();
    }

    private Schema schema(String location) {
        return compiled.computeIfAbsent(location, l -> registry.getSchema(SchemaLocation.of(l)));
    }

    /** A schema node by its absolute location ({@code <document iri>#/json/pointer}). */
    JsonNode node(String location) {
        int hash = location.indexOf('#');
        JsonNode document = document(location.substring(0, hash)).orElseThrow(
                () -> new IllegalStateException("no schema document for " + location));
        return document.at(location.substring(hash + 1));
    }

    private void index() {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path dir : files.filter(Files::isDirectory).filter(d -> !d.endsWith("common")).toList()) {
                try (Stream<Path> schemas = Files.list(dir)) {
                    for (Path file : schemas.filter(f -> f.toString().endsWith(".json")).toList()) {
                        indexFile(BASE + dir.getFileName() + "/" + file.getFileName());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schemas in " + folder, e);
        }
    }

    private void indexFile(String iri) {
        JsonNode document = document(iri).orElseThrow();
        for (String section : SECTIONS) {
            document.path(section).fields().forEachRemaining(entry -> {
                JsonNode properties = entry.getValue().path("properties");
                String type = properties.path("type").path("enum").path(0).asText("");
                for (JsonNode version : properties.path("apiVersion").path("enum")) {
                    // A type appears once per scope section, all alike but for where they deploy: the first wins.
                    definitions.computeIfAbsent(type.toLowerCase(Locale.ROOT), t -> new HashMap<>())
                            .putIfAbsent(version.asText(), iri + "#/" + section + "/" + entry.getKey());
                }
            });
        }
    }

    private Optional<JsonNode> document(String iri) {
        String key = iri.endsWith("#") ? iri.substring(0, iri.length() - 1) : iri;
        if (!key.startsWith(BASE)) {
            return Optional.empty();
        }
        Path file = folder.resolve(key.substring(BASE.length()));
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(documents.computeIfAbsent(key, k -> readForBodies(file)));
    }

    private static JsonNode readForBodies(Path file) {
        try {
            JsonNode document = JSON.readTree(file.toFile());
            dropExpressions(document);
            for (String section : SECTIONS) {
                document.path(section).forEach(AzureSchemas::dropTemplateOnlyRequired);
            }
            return document;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + file, e);
        }
    }

    private static void dropTemplateOnlyRequired(JsonNode definition) {
        if (definition.path("required") instanceof ArrayNode required) {
            for (int i = required.size() - 1; i >= 0; i--) {
                if (TEMPLATE_ONLY.contains(required.get(i).asText())) {
                    required.remove(i);
                }
            }
        }
    }

    /** {@code {"oneOf": [X, expression]}} becomes X: a request body never holds template expressions. */
    private static void dropExpressions(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.path("oneOf") instanceof ArrayNode alternatives) {
                for (int i = alternatives.size() - 1; i >= 0; i--) {
                    if (alternatives.get(i).path("$ref").asText("").endsWith("common/definitions.json#/definitions/expression")) {
                        alternatives.remove(i);
                    }
                }
                if (alternatives.size() == 1 && alternatives.get(0) instanceof ObjectNode only) {
                    object.remove("oneOf");
                    if (only.has("$ref")) {
                        // draft 4 ignores the siblings of $ref: keep only the reference.
                        object.removeAll();
                    }
                    object.setAll(only);
                }
            }
            object.forEach(AzureSchemas::dropExpressions);
        } else if (node instanceof ArrayNode array) {
            array.forEach(AzureSchemas::dropExpressions);
        }
    }
}
