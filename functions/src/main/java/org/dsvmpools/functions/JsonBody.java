package org.dsvmpools.functions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one reader of JSON request bodies for every endpoint that takes one: a JSON media type (415 otherwise), at
 * most 64 KiB (413), one well-formed document with no duplicate keys and nothing after it (400), each refusal as
 * problem+json.
 */
final class JsonBody {
    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBody() {
    }

    /** Either the document or the problem, never both. */
    record Parsed(JsonNode document, Problem problem) {
    }

    /** @param what how the problem names the body, such as "the pool document" */
    static Parsed read(String contentType, String body, String what) {
        if (!isJson(contentType)) {
            return new Parsed(null, Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send " + what + " as application/json"));
        }
        if (body == null || body.isBlank()) {
            return new Parsed(null, Problem.of(400, "malformed-json", "Malformed JSON", "the request body is empty"));
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return new Parsed(null, Problem.of(413, "body-too-large", "Request body too large",
                    what + " is at most " + MAX_BYTES + " bytes"));
        }
        try {
            return new Parsed(STRICT_JSON.readTree(body), null);
        } catch (JsonProcessingException e) {
            return new Parsed(null, Problem.of(400, "malformed-json", "Malformed JSON", e.getOriginalMessage()));
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.matches("application/[a-z0-9.-]+\\+json");
    }
}
