package org.dsvmpools.kit.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A write that ARM is asked to accept: a PUT (the whole resource) or a PATCH (a part of it).
 *
 * @param id         the resource id, as in the request path
 * @param type       the full resource type, {@code Microsoft.Network/loadBalancers} or
 *                   {@code Microsoft.Storage/storageAccounts/fileServices/shares}
 * @param apiVersion the request's {@code api-version}
 * @param body       the request body
 */
public record ArmRequest(String method, String id, String type, String apiVersion, JsonNode body) {
    public ArmRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
    }

    public static ArmRequest put(String id, String type, String apiVersion, JsonNode body) {
        return new ArmRequest("PUT", id, type, apiVersion, body);
    }

    /** A PATCH sends only what changes: ARM's required properties do not apply to it. */
    public boolean partial() {
        return method.equalsIgnoreCase("PATCH");
    }

    public boolean isType(String fullType) {
        return type.equalsIgnoreCase(fullType);
    }
}
