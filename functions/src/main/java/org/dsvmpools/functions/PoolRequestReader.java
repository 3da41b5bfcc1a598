package org.dsvmpools.functions;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dsvmpools.pool.FieldError;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.pool.PoolSpecRules;

/** Turns the body of {@code POST /api/pools} into a valid {@link PoolSpec}, or into the problem that says why not. */
final class PoolRequestReader {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final PoolSpecRules rules;

    PoolRequestReader(PoolSpecRules rules) {
        this.rules = rules;
    }

    /** Either a spec or a problem, never both. */
    record Outcome(PoolSpec spec, Problem problem) {
    }

    Outcome read(String contentType, String body) {
        if (!isJson(contentType)) {
            return failed(Problem.of(415, "unsupported-media-type", "Unsupported media type",
                    "send the pool document as application/json"));
        }
        if (body == null || body.isBlank()) {
            return failed(Problem.of(400, "malformed-json", "Malformed JSON", "the request body is empty"));
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            return failed(Problem.of(413, "body-too-large", "Request body too large",
                    "a pool document is at most " + MAX_BODY_BYTES + " bytes"));
        }
        JsonNode document;
        try {
            document = STRICT_JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return failed(Problem.of(400, "malformed-json", "Malformed JSON", e.getOriginalMessage()));
        }
        PoolSpecJson.ReadResult read = PoolSpecJson.read(document);
        List<FieldError> errors = new ArrayList<>(read.errors());
        rules.check(read.spec()).stream()
                .filter(error -> !coveredBy(read.errors(), error))
                .forEach(errors::add);
        return errors.isEmpty()
                ? new Outcome(read.spec(), null)
                : failed(Problem.invalid(errors.size() + " field(s) of the pool document are not valid", errors));
    }

    /** A rule error under a field that is already reported missing or mistyped only repeats that error. */
    private static boolean coveredBy(List<FieldError> structural, FieldError error) {
        return structural.stream().anyMatch(reported -> reported.pointer().isEmpty()
                || error.pointer().equals(reported.pointer())
                || error.pointer().startsWith(reported.pointer() + "/"));
    }

    private static Outcome failed(Problem problem) {
        return new Outcome(null, problem);
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.matches("application/[a-z0-9.-]+\\+json");
    }
}
