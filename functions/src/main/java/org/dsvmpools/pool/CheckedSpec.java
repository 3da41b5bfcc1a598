package org.dsvmpools.pool;

import java.util.List;

/** A spec as a change would make it, and what is wrong with it: valid when {@code errors} is empty. */
public record CheckedSpec(PoolSpec spec, List<FieldError> errors) {
    public CheckedSpec {
        errors = List.copyOf(errors);
    }

    public static CheckedSpec valid(PoolSpec spec) {
        return new CheckedSpec(spec, List.of());
    }

    public static CheckedSpec invalid(List<FieldError> errors) {
        return new CheckedSpec(null, errors);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }
}
