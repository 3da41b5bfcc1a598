package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.dsvmpools.pool.Limits;
import org.dsvmpools.pool.FieldError;

/**
 * An RFC 9457 problem document. Validation problems list every offending field as {@code errors}, each with a
 * JSON pointer into the request body and a message.
 */
public record Problem(int status, String type, String title, String detail, List<FieldError> errors,
                      Limits.Overrun limit) {
    static final String TYPE_BASE = "urn:dsvmpools:problem:";

    public Problem {
        errors = List.copyOf(errors);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(status, TYPE_BASE + slug, title, detail, List.of(), null);
    }

    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem(400, TYPE_BASE + "invalid-request", "The request is not valid", detail, errors, null);
    }

    /** 409 naming the limit, what it allows, what is in use and what the request asks for, as members too. */
    public static Problem overLimit(Limits.Overrun overrun) {
        return new Problem(409, TYPE_BASE + "limit-exceeded", "Limit exceeded", overrun.describe(), List.of(),
                overrun);
    }

    ObjectNode toJson(String instance) {
        ObjectNode node = JsonNodeFactory.instance.objectNode()
                .put("type", type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", instance);
        if (limit != null) {
            node.putObject("limit").put("setting", limit.setting()).put("allowed", limit.allowed())
                    .put("inUse", limit.inUse()).put("requested", limit.requested());
        }
        if (!errors.isEmpty()) {
            ArrayNode list = node.putArray("errors");
            errors.forEach(error -> list.addObject().put("pointer", error.pointer()).put("detail", error.message()));
        }
        return node;
    }
}
