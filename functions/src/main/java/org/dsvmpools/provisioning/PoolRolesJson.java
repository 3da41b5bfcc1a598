package org.dsvmpools.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code infra/pool-roles.json} (the build copies it beside this class): the one list of the roles pools
 * assign, which the template's role-assignment condition reads too.
 */
final class PoolRolesJson {
    static final String RESOURCE = "pool-roles.json";
    private static final Map<String, JsonNode> ROLES = read();

    private PoolRolesJson() {
    }

    static String id(String name) {
        return role(name).path("id").asText();
    }

    static String displayName(String name) {
        return role(name).path("displayName").asText();
    }

    static java.util.Set<String> names() {
        return ROLES.keySet();
    }

    private static JsonNode role(String name) {
        JsonNode role = ROLES.get(name);
        if (role == null) {
            throw new IllegalStateException("infra/pool-roles.json has no role " + name);
        }
        return role;
    }

    private static Map<String, JsonNode> read() {
        try (InputStream in = PoolRolesJson.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build (copied from infra/)");
            }
            Map<String, JsonNode> roles = new LinkedHashMap<>();
            new ObjectMapper().readTree(in).path("roles").forEach(role -> roles.put(role.path("name").asText(), role));
            return roles;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
