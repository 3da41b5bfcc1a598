package org.dsvmpools.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.dsvmpools.pool.FieldError;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.SshPublicKey;

/**
 * A user as events and the admin API carry it: {@code {name?, email, displayName, sshPublicKeys, entraObjectId?}}.
 * Every field is checked, each problem reported with its JSON pointer; an explicit name must already follow the
 * Linux rules (it is not folded, so a look-alike letter is refused, not quietly changed).
 */
public final class NewUserJson {
    static final int MAX_KEYS = org.dsvmpools.pool.SshPublicKey.MAX_PER_USER;
    static final int MAX_TEXT = 256;
    private static final Set<String> FIELDS = Set.of("name", "email", "displayName", "sshPublicKeys", "entraObjectId");

    private NewUserJson() {
    }

    public record Result(NewUser user, List<FieldError> errors) {
        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    public static Result read(JsonNode node, String pointer) {
        List<FieldError> errors = new ArrayList<>();
        if (node == null || !node.isObject()) {
            return new Result(null, List.of(new FieldError(pointer, "must be an object")));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                errors.add(new FieldError(pointer + "/" + field, "is not a user field"));
            }
        }
        String email = text(node, "email", pointer, errors, true);
        if (email != null && org.dsvmpools.pool.EmailAddress.problem(email).isPresent()) {
            errors.add(new FieldError(pointer + "/email", org.dsvmpools.pool.EmailAddress.problem(email).get()));
            email = null;
        }
        String displayName = text(node, "displayName", pointer, errors, false);
        String entraObjectId = text(node, "entraObjectId", pointer, errors, false);
        if (entraObjectId != null && !entraObjectId.matches("[0-9a-fA-F-]{36}")) {
            errors.add(new FieldError(pointer + "/entraObjectId", "must be a GUID"));
        }
        LinuxUserName name = name(node, email, pointer, errors);
        List<String> keys = keys(node, pointer, errors);
        return errors.isEmpty() ? new Result(new NewUser(name, email, displayName, keys, entraObjectId), List.of())
                : new Result(null, List.copyOf(errors));
    }

    private static LinuxUserName name(JsonNode node, String email, String pointer, List<FieldError> errors) {
        if (node.hasNonNull("name")) {
            String given = node.path("name").isTextual() ? node.path("name").asText() : null;
            Optional<String> problem = LinuxUserName.problem(given);
            if (problem.isPresent()) {
                errors.add(new FieldError(pointer + "/name", problem.get()));
                return null;
            }
            return new LinuxUserName(given);
        }
        if (email == null) {
            return null;
        }
        Optional<LinuxUserName> derived = UserNames.fromEmail(email);
        if (derived.isEmpty()) {
            errors.add(new FieldError(pointer + "/name", "cannot be derived from the email; give one"));
        }
        return derived.orElse(null);
    }

    private static List<String> keys(JsonNode node, String pointer, List<FieldError> errors) {
        JsonNode keys = node.path("sshPublicKeys");
        List<String> valid = new ArrayList<>();
        if (keys.isMissingNode() || keys.isNull()) {
            return valid;
        }
        if (!keys.isArray() || keys.size() > MAX_KEYS) {
            errors.add(new FieldError(pointer + "/sshPublicKeys", "must be an array of at most " + MAX_KEYS
                    + " keys"));
            return valid;
        }
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i).isTextual() ? keys.get(i).asText() : null;
            Optional<String> problem = SshPublicKey.problem(key);
            if (problem.isPresent()) {
                errors.add(new FieldError(pointer + "/sshPublicKeys/" + i, problem.get()));
            } else {
                valid.add(key);
            }
        }
        return valid;
    }

    private static String text(JsonNode node, String field, String pointer, List<FieldError> errors,
                               boolean required) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            if (required) {
                errors.add(new FieldError(pointer + "/" + field, "is required"));
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > MAX_TEXT
                || value.asText().chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldError(pointer + "/" + field, "must be text of 1-" + MAX_TEXT
                    + " characters without control characters"));
            return null;
        }
        return value.asText();
    }
}
