package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.dsvmpools.pool.CheckedSpec;
import org.dsvmpools.pool.FieldError;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.pool.PoolSpecRules;

/** Turns the body of {@code POST /api/pools} into a valid {@link PoolSpec}, or into the problem that says why not. */
final class PoolRequestReader {
    static final int MAX_BODY_BYTES = JsonBody.MAX_BYTES;

    private final PoolSpecRules rules;

    PoolRequestReader(PoolSpecRules rules) {
        this.rules = rules;
    }

    /** Either a spec or a problem, never both. */
    record Outcome(PoolSpec spec, Problem problem) {
    }

    Outcome read(String contentType, String body) {
        JsonBody.Parsed parsed = JsonBody.read(contentType, body, "the pool document");
        return parsed.problem() != null ? failed(parsed.problem()) : validate(parsed.document());
    }

    /**
     * The fields a PATCH may change: what the scaler reads, and the image of the instances it creates from then
     * on. Everything else is fixed at creation.
     */
    static final Set<String> PATCHABLE = Set.of("capacity", "usersPerInstance", "idleTimeoutMinutes", "schedule",
            "scaling", "image");

    /** A patch that parsed, or the problem with the request; never both. */
    record Patch(ObjectNode document, Problem problem) {
    }

    /**
     * {@code PATCH /api/pools/{name}}, what can be judged before the pool is read: a JSON object (RFC 7396 merge
     * patch) of the fields the scaler reads only.
     */
    Patch readPatch(String contentType, String body) {
        JsonBody.Parsed parsed = JsonBody.read(contentType, body, "the patch");
        if (parsed.problem() != null) {
            return new Patch(null, parsed.problem());
        }
        if (!parsed.document().isObject()) {
            return new Patch(null, Problem.invalid("the patch is not valid", List.of(new FieldError("",
                    "must be a JSON object"))));
        }
        List<FieldError> fixed = new ArrayList<>();
        parsed.document().fieldNames().forEachRemaining(field -> {
            if (!org.dsvmpools.pool.PoolSpecJson.FIELDS.contains(field)) {
                // A typo (capacitty) is not a field at all: said so, not "fixed at creation" (#30).
                fixed.add(new FieldError("/" + field.replace("~", "~0").replace("/", "~1"), "unknown field; a"
                        + " PATCH may change " + new TreeSet<>(PATCHABLE)));
            } else if (!PATCHABLE.contains(field)) {
                fixed.add(new FieldError("/" + field, "cannot be changed after creation; a PATCH may change "
                        + new TreeSet<>(PATCHABLE)));
            }
        });
        return fixed.isEmpty() ? new Patch((ObjectNode) parsed.document(), null)
                : new Patch(null, Problem.invalid(fixed.size() + " field(s) of the patch cannot be changed", fixed));
    }

    /**
     * The patch applied to the current spec and validated as a whole, so that a patch never leaves a pool with
     * rules a POST would refuse.
     */
    CheckedSpec applyPatch(ObjectNode patch, PoolSpec current) {
        return check(merge(PoolSpecJson.write(current), patch.deepCopy()));
    }

    /** The problem a patch's invalid result is answered with, as a POST's would be. */
    static Problem invalid(List<FieldError> errors) {
        return Problem.invalid(errors.size() + " field(s) of the pool document are not valid", errors);
    }

    /** RFC 7396: objects merge field by field, null removes, anything else replaces. */
    private static ObjectNode merge(ObjectNode target, ObjectNode patch) {
        patch.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode existing) {
                merge(existing, (ObjectNode) value);
            } else {
                target.set(field.getKey(), value);
            }
        });
        return target;
    }

    private Outcome validate(JsonNode document) {
        CheckedSpec checked = check(document);
        return checked.isValid() ? new Outcome(checked.spec(), null) : failed(invalid(checked.errors()));
    }

    private CheckedSpec check(JsonNode document) {
        PoolSpecJson.ReadResult read = PoolSpecJson.read(document);
        List<FieldError> errors = new ArrayList<>(read.errors());
        rules.check(read.spec()).stream()
                .filter(error -> !coveredBy(read.errors(), error))
                .forEach(errors::add);
        return errors.isEmpty() ? CheckedSpec.valid(rules.completed(read.spec())) : CheckedSpec.invalid(errors);
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
}
