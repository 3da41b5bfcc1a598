package org.dsvmpools.functions;

import java.util.function.Supplier;

/** A supplier that builds its value on first use, once, even when first used by several threads at once. */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> build;
    private T value;

    private Lazy(Supplier<T> build) {
        this.build = build;
    }

    static <T> Supplier<T> of(Supplier<T> build) {
        return new Lazy<>(build);
    }

    @Override
    public synchronized T get() {
        if (value == null) {
            value = build.get();
        }
        return value;
    }
}
