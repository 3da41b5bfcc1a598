package org.dsvmpools.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Reads the fields of one JSON object by name and type, recording a {@link FieldError} (with its JSON pointer)
 * for each missing, mistyped or unknown field instead of stopping at the first. Returns placeholder values
 * after an error so that reading goes on and the caller learns about every offending field at once.
 */
final class JsonObjectReader {
    private final JsonNode node;
    private final String pointer;
    private final List<FieldError> errors;
    private final Set<String> read = new HashSet<>();

    private JsonObjectReader(JsonNode node, String pointer, List<FieldError> errors) {
        this.node = node;
        this.pointer = pointer;
        this.errors = errors;
    }

    /**
     * A reader of {@code node}; for a node that is not an object, the error says so once and the reader reads an
     * empty object whose own errors (every field missing) are not reported.
     */
    static JsonObjectReader of(JsonNode node, String pointer, List<FieldError> errors) {
        if (node == null || !node.isObject()) {
            errors.add(new FieldError(pointer, "must be a JSON object"));
            return new JsonObjectReader(JsonNodeFactory.instance.objectNode(), pointer, new ArrayList<>());
        }
        return new JsonObjectReader(node, pointer, errors);
    }

    String pointer(String field) {
        return pointer + "/" + field.replace("~", "~0").replace("/", "~1");
    }

    private JsonNode field(String name, boolean required) {
        read.add(name);
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(new FieldError(pointer(name), "is required"));
            }
            return null;
        }
        return value;
    }

    String text(String name, boolean required) {
        JsonNode value = field(name, required);
        if (value == null) {
            return required ? "" : null;
        }
        if (!value.isTextual()) {
            errors.add(new FieldError(pointer(name), "must be a string"));
            return "";
        }
        return value.textValue();
    }

    int integer(String name, Integer defaultValue) {
        return integer(name, defaultValue, 0);
    }

    /**
     * @param defaultValue the value when absent, or {@code null} when the field is required
     * @param placeholder  the value after an error, chosen so that rules comparing other fields with this one
     *                     do not report errors that are only echoes of this one
     */
    int integer(String name, Integer defaultValue, int placeholder) {
        JsonNode value = field(name, defaultValue == null);
        if (value == null) {
            return defaultValue == null ? placeholder : defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            errors.add(new FieldError(pointer(name), "must be an integer"));
            return placeholder;
        }
        return value.intValue();
    }

    boolean bool(String name, boolean defaultValue) {
        JsonNode value = field(name, false);
        if (value == null) {
            return defaultValue;
        }
        if (!value.isBoolean()) {
            errors.add(new FieldError(pointer(name), "must be true or false"));
            return defaultValue;
        }
        return value.booleanValue();
    }

    /** The nested object {@code name}, or {@code null} when it is absent and optional. */
    JsonObjectReader object(String name, boolean required) {
        JsonNode value = field(name, required);
        if (value == null) {
            return required ? new JsonObjectReader(JsonNodeFactory.instance.objectNode(), pointer(name),
                    new ArrayList<>()) : null;
        }
        return of(value, pointer(name), errors);
    }

    List<String> texts(String name, boolean required) {
        return array(name, required, (item, itemPointer) -> {
            if (!item.isTextual()) {
                errors.add(new FieldError(itemPointer, "must be a string"));
                return "";
            }
            return item.textValue();
        });
    }

    <T> List<T> array(String name, boolean required, BiFunction<JsonNode, String, T> item) {
        JsonNode value = field(name, required);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            errors.add(new FieldError(pointer(name), "must be an array"));
            return List.of();
        }
        List<T> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(item.apply(value.get(i), pointer(name) + "/" + i));
        }
        return items;
    }

    /** Records every field of the object that no read asked for. */
    void rejectUnknownFields() {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                errors.add(new FieldError(pointer(name), unknownFieldMessage(name)));
            }
        }
    }

    private static String unknownFieldMessage(String name) {
        return name.toLowerCase().contains("password")
                ? "passwords are not accepted anywhere in the API: use sshPublicKeys"
                : "unknown field";
    }
}
