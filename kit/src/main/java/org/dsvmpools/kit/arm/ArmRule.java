package org.dsvmpools.kit.arm;

import java.util.List;

/**
 * One semantic rule of an ARM resource provider: what a schema cannot say (which values a field takes in
 * context, which combinations the provider refuses, what must exist elsewhere).
 *
 * @param code    ARM's error code for a body that breaks the rule
 * @param type    the resource type whose writes it checks
 * @param summary the rule in one sentence, for the docs' table
 * @param source  where Azure documents it (REST reference page, error code page, or reported error)
 */
public record ArmRule(String code, String type, String summary, String source, Check check) {

    /** The violations of the rule in one request; empty when it holds. */
    @FunctionalInterface
    public interface Check {
        List<ArmViolation> in(ArmRequest request, ArmState state);
    }

    boolean appliesTo(ArmRequest request) {
        return request.isType(type);
    }
}
