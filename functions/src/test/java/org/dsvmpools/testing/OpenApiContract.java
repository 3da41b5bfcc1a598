package org.dsvmpools.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.dsvmpools.kit.FunctionHttpResponse;

/**
 * {@code docs/openapi.json}, the API's published description, as a judge of what the functions do: the routes
 * it lists, and whether a response's status, media type and body are among those it documents for the call.
 */
public final class OpenApiContract {
    public static final Path DOCUMENT = Path.of("..", "docs", "openapi.json");
    private static final String BASE = "https://dsvmpools.invalid/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final OpenApiContract INSTANCE = new OpenApiContract(DOCUMENT);

    private final JsonNode document;
    private final SchemaRegistry registry;

    private OpenApiContract(Path file) {
        try {
            String text = Files.readString(file);
            this.document = JSON.readTree(text);
            this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemas(iri -> iri.startsWith(BASE) ? text : null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static OpenApiContract get() {
        return INSTANCE;
    }

    public JsonNode document() {
        return document;
    }

    /** Every documented call, as {@code METHOD /api/path-template}. */
    public Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (!op.getKey().equals("parameters")) {
                operations.add(op.getKey().toUpperCase(Locale.ROOT) + " /api" + path.getKey());
            }
        }));
        return operations;
    }

    /** The documented call a request went to, as {@link #operations} names it. */
    public Optional<String> operation(String method, String path) {
        String rest = path.startsWith("/api/") ? path.substring(4) : path;
        Iterator<String> templates = document.path("paths").fieldNames();
        while (templates.hasNext()) {
            String template = templates.next();
            if (Pattern.matches(template.replaceAll("\\{[^}]+}", "[^/]+"), rest)
                    && document.path("paths").path(template).has(method.toLowerCase(Locale.ROOT))) {
                return Optional.of(method.toUpperCase(Locale.ROOT) + " /api" + template);
            }
        }
        return Optional.empty();
    }

    /** What in {@code response} the document does not allow for this call; empty when it is as documented. */
    public List<String> violations(String method, String path, FunctionHttpResponse response) {
        Optional<String> operation = operation(method, path);
        if (operation.isEmpty()) {
            return List.of(method + " " + path + " is not documented");
        }
        String template = operation.get().substring(operation.get().indexOf("/api") + 4);
        String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/"
                + response.getStatusCode();
        JsonNode documented = document.at(pointer);
        if (documented.isMissingNode()) {
            return List.of(operation.get() + " answered " + response.getStatusCode() + ", which is not documented");
        }
        if (documented.has("$ref")) {
            pointer = documented.get("$ref").asText().substring(1);
            documented = document.at(pointer);
        }
        String mediaType = Optional.ofNullable(response.getHeader("Content-Type")).map(t -> t.split(";")[0].trim())
                .orElse(null);
        if (!documented.has("content")) {
            return mediaType == null ? List.of() : List.of(operation.get() + " " + response.getStatusCode()
                    + " has a " + mediaType + " body, which is not documented");
        }
        if (mediaType == null || !documented.path("content").has(mediaType)) {
            return List.of(operation.get() + " " + response.getStatusCode() + " answered as " + mediaType
                    + "; documented: " + iterable(documented.path("content").fieldNames()));
        }
        List<String> violations = new ArrayList<>();
        documented.path("headers").fieldNames().forEachRemaining(header -> {
            if (response.getHeader(header) == null) {
                violations.add(operation.get() + " " + response.getStatusCode() + " lacks its " + header + " header");
            }
        });
        JsonNode body = readBody(response);
        for (Error error : registry.getSchema(SchemaLocation.of(BASE + "#" + pointer + "/content/"
                + escape(mediaType) + "/schema")).validate(body)) {
            violations.add(operation.get() + " " + response.getStatusCode() + ": " + error.getInstanceLocation()
                    + " " + error.getMessage());
        }
        return violations;
    }

    private static JsonNode readBody(FunctionHttpResponse response) {
        try {
            return JSON.readTree(String.valueOf(response.getBody()));
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(String.valueOf(response.getBody()));
        }
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    /** One call as a test made it, and the response it got. */
    public record Exchange(String method, String path, FunctionHttpResponse response) {
    }

    /** The calls made through {@link Requests} since the last {@link #drain}, from any thread. */
    public static final class Recorded {
        private static final List<Exchange> EXCHANGES = new ArrayList<>();

        private Recorded() {
        }

        static synchronized void add(Exchange exchange) {
            EXCHANGES.add(exchange);
        }

        public static synchronized List<Exchange> drain() {
            List<Exchange> all = List.copyOf(EXCHANGES);
            EXCHANGES.clear();
            return all;
        }
    }

    public List<String> violations(List<Exchange> exchanges) {
        return exchanges.stream().flatMap(e -> violations(e.method(), e.path(), e.response()).stream()).toList();
    }
}
