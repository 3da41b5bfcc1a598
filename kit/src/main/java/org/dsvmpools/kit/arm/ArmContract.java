package org.dsvmpools.kit.arm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What Azure Resource Manager accepts: a body that fits its published schema (when the schemas are at hand) and
 * keeps every semantic rule of its resource provider. The emulator refuses a write that breaks it, and the
 * product's unit tests hold every body the blueprint can produce against it, with no emulator running.
 */
public final class ArmContract {
    /** Every rule, in the order they are checked and listed in the docs. */
    public static final List<ArmRule> RULES = Stream.of(NetworkRules.all(), StorageRules.all(), ComputeRules.all(),
            AuthorizationRules.all()).flatMap(List::stream).toList();

    private final Optional<AzureSchemas> schemas;

    public ArmContract(Optional<AzureSchemas> schemas) {
        this.schemas = schemas;
    }

    /** With the schemas from {@link AzureSchemas#defaultFolder()}, or rules only where they are absent. */
    public static ArmContract withDefaultSchemas() {
        return new ArmContract(AzureSchemas.load(AzureSchemas.defaultFolder()));
    }

    public Optional<AzureSchemas> schemas() {
        return schemas;
    }

    /** One line for a start-up log: whether bodies are checked against the schemas, and from where. */
    public String describe() {
        return schemas.map(s -> "ARM schema checks on (" + s.folder() + ")")
                .orElse("ARM schema checks are OFF: no shared/azure-schemas in " + Path.of("").toAbsolutePath()
                        + " or a folder above it, and " + AzureSchemas.SETTING + " is not set; the semantic rules"
                        + " still apply");
    }

    /** Every violation: schema faults first (a malformed body is not worth reasoning about), then the rules'. */
    public List<ArmViolation> check(ArmRequest request, ArmState state) {
        List<ArmViolation> found = new ArrayList<>();
        schemas.ifPresent(s -> found.addAll(s.check(request)));
        if (!found.isEmpty()) {
            return found;
        }
        for (ArmRule rule : RULES) {
            if (rule.appliesTo(request)) {
                found.addAll(rule.check().in(request, state));
            }
        }
        return found;
    }
}
