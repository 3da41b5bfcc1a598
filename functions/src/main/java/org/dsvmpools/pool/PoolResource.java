package org.dsvmpools.pool;

import java.util.Map;
import java.util.Objects;

/**
 * One Azure resource of a pool as the pool record keeps it: what the API shows and what the worker resumes from.
 *
 * @param key     the resource's role in the pool ({@code scaleSet}, {@code share}, ...)
 * @param id      its ARM id, once known
 * @param outputs values later steps need (the scale set's principal id, the public IP's DNS name), by name
 */
public record PoolResource(String key, String name, String id, ResourceState state, Map<String, String> outputs) {
    public PoolResource {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        outputs = outputs == null ? Map.of() : Map.copyOf(outputs);
    }

    public PoolResource withState(ResourceState next) {
        return new PoolResource(key, name, id, next, outputs);
    }

    public boolean is(ResourceState expected) {
        return state == expected;
    }
}
