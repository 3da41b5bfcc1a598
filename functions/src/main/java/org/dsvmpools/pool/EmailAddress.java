package org.dsvmpools.pool;

import java.util.Optional;
import java.util.regex.Pattern;

/** What the API takes as a user's email address: one {@code @}, no spaces or control characters, RFC 5321 lengths. */
public final class EmailAddress {
    private static final Pattern SHAPE = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[^@\\s\\p{Cntrl}]{1,190}");

    private EmailAddress() {
    }

    /** Why {@code text} is not an email address, or empty when it is. */
    public static Optional<String> problem(String text) {
        return SHAPE.matcher(text).matches() ? Optional.empty() : Optional.of("must be an email address");
    }
}
