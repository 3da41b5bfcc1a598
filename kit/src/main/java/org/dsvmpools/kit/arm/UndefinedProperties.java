package org.dsvmpools.kit.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties of a body that its schema does not define. ARM's schemas leave {@code additionalProperties}
 * open, so a misspelled property passes any validator; this walks schema and body together. An object whose
 * schema lists no properties, or allows additional ones (tags, user-assigned identities), is a map: any key goes.
 */
final class UndefinedProperties {
    private final AzureSchemas schemas;

    UndefinedProperties(AzureSchemas schemas) {
        this.schemas = schemas;
    }

    /** JSON paths ({@code properties.securityRules[0].properties.sourceAdressPrefix}) of undefined properties. */
    List<String> in(String location, JsonNode body) {
        List<String> found = new ArrayList<>();
        walk(location, body, "", found, 0);
        return found;
    }

    private void walk(String location, JsonNode value, String path, List<String> found, int depth) {
        if (depth > 64) {
            return;
        }
        Map<String, String> properties = new LinkedHashMap<>();
        boolean open = collect(location, properties, 0);
        if (value.isObject()) {
            value.fields().forEachRemaining(field -> {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                String schema = properties.get(field.getKey());
                if (schema != null) {
                    walk(schema, field.getValue(), child, found, depth + 1);
                } else if (!open) {
                    found.add(child);
                }
            });
        } else if (value.isArray()) {
            String items = itemsOf(location, 0);
            if (items != null) {
                for (int i = 0; i < value.size(); i++) {
                    walk(items, value.get(i), path + "[" + i + "]", found, depth + 1);
                }
            }
        }
    }

    /**
     * Gathers the properties a schema defines, through {@code $ref}, {@code allOf} and the alternatives of
     * {@code oneOf}/{@code anyOf} (a polymorphic type takes any of its variants' properties), each with the
     * location of its own schema; returns whether the object is open to other keys.
     */
    private boolean collect(String location, Map<String, String> properties, int depth) {
        JsonNode node = schemas.node(location);
        if (depth > 16) {
            return true;
        }
        if (node.has("$ref")) {
            return collect(resolve(location, node.get("$ref").asText()), properties, depth + 1);
        }
        boolean open = node.has("additionalProperties") && !node.get("additionalProperties").isBoolean()
                || node.path("additionalProperties").asBoolean(false);
        boolean defines = false;
        if (node.path("properties").isObject()) {
            defines = true;
            node.get("properties").fieldNames().forEachRemaining(name ->
                    properties.putIfAbsent(name, location + "/properties/" + escape(name)));
        }
        for (String combinator : List.of("allOf", "oneOf", "anyOf")) {
            JsonNode parts = node.path(combinator);
            for (int i = 0; i < parts.size(); i++) {
                defines = true;
                open |= collect(location + "/" + combinator + "/" + i, properties, depth + 1);
            }
        }
        return open || !defines;
    }

    private String itemsOf(String location, int depth) {
        JsonNode node = schemas.node(location);
        if (node.has("$ref") && depth < 16) {
            return itemsOf(resolve(location, node.get("$ref").asText()), depth + 1);
        }
        return node.path("items").isObject() ? location + "/items" : null;
    }

    /** A {@code $ref} is either within its document ({@code #/definitions/X}) or names another document. */
    private static String resolve(String from, String ref) {
        if (ref.startsWith("#")) {
            return from.substring(0, from.indexOf('#')) + ref;
        }
        return ref;
    }

    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
