package org.dsvmpools.pool;

import java.util.Objects;

/** One offending field of a request: a JSON pointer (RFC 6901) and what is wrong with it. */
public record FieldError(String pointer, String message) {
    public FieldError {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }
}
