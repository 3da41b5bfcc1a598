package org.dsvmpools.pool;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A pool's name: 3-20 characters, lowercase letters, digits and single hyphens, starting with a letter and
 * not ending with a hyphen. Every Azure name of the pool is derived from it (see {@link AzureNames}), so
 * the rule is strict enough for all of them.
 */
public record PoolName(String value) {
    private static final Pattern RULE = Pattern.compile("[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*");

    public PoolName {
        problem(value).ifPresent(message -> {
            throw new IllegalArgumentException("invalid pool name '" + value + "': " + message);
        });
    }

    /** Why {@code candidate} is not a valid pool name, or empty when it is. */
    public static Optional<String> problem(String candidate) {
        if (candidate == null || candidate.length() < 3 || candidate.length() > 20) {
            return Optional.of("must be 3-20 characters");
        }
        if (!RULE.matcher(candidate).matches()) {
            return Optional.of("must be lowercase letters, digits and single hyphens, start with a letter"
                    + " and not end with a hyphen");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
