package org.dsvmpools.pool;

import java.util.Objects;
import java.util.Set;

/**
 * Who makes a request. With App Service Authentication on, the platform names the principal; without it the
 * only thing known is that the caller held the function key, which is {@link #FUNCTION_KEY}.
 *
 * @param id stable principal id (the Entra object id), or {@code "function-key"}
 * @param name display name for people reading the pool document
 */
public record Caller(String id, String name, Set<String> roles) {
    public static final String ADMIN_ROLE = "Pools.Admin";
    /** The app role an application (a pipeline, a service) needs to call the API with an app-only token. */
    public static final String APPLICATION_ROLE = "Pools.Caller";
    public static final Caller FUNCTION_KEY = new Caller("function-key", "function key holder", Set.of());

    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN_ROLE);
    }

    /** Owners may delete their pools, admins any pool; pools made with the function key by any key holder. */
    public boolean mayManage(Owner owner) {
        return isAdmin() || owner.id().equals(id);
    }

    public Owner asOwner() {
        return new Owner(id, name);
    }

    /** The principal recorded on a pool when it was requested. */
    public record Owner(String id, String name) {
        public Owner {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }
}
