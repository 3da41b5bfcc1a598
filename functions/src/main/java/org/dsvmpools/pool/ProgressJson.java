package org.dsvmpools.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON form of a pool's {@link Progress}: stored on the record, and shown (in part) by the API. */
public final class ProgressJson {
    private ProgressJson() {
    }

    public static ObjectNode write(Progress progress) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("pass", progress.pass());
        node.put("retries", progress.retries());
        node.set("resources", resources(progress.resources()));
        if (progress.failure() != null) {
            node.set("failure", failure(progress.failure()));
        }
        if (progress.endpoints() != null) {
            node.set("endpoints", endpoints(progress.endpoints()));
        }
        return node;
    }

    public static ArrayNode resources(List<PoolResource> resources) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (PoolResource resource : resources) {
            ObjectNode item = array.addObject().put("key", resource.key()).put("name", resource.name())
                    .put("state", resource.state().name());
            if (resource.id() != null) {
                item.put("id", resource.id());
            }
            if (!resource.outputs().isEmpty()) {
                ObjectNode outputs = item.putObject("outputs");
                resource.outputs().forEach(outputs::put);
            }
        }
        return array;
    }

    public static ObjectNode failure(PoolFailure failure) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("work", failure.work().name())
                .put("code", failure.code()).put("message", failure.message());
        if (failure.resource() != null) {
            node.put("resource", failure.resource());
        }
        return node;
    }

    public static ObjectNode endpoints(PoolEndpoints endpoints) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("dnsName", endpoints.dnsName())
                .put("jupyterHub", endpoints.jupyterHub());
        node.put("sshLogin", endpoints.sshLogin());
        ArrayNode ssh = node.putArray("ssh");
        for (PoolEndpoints.Ssh instance : endpoints.ssh()) {
            ssh.addObject().put("instanceId", instance.instanceId()).put("port", instance.port())
                    .put("command", instance.command());
        }
        return node;
    }

    public static Progress read(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Progress.NONE;
        }
        List<PoolResource> resources = new ArrayList<>();
        for (JsonNode item : node.path("resources")) {
            Map<String, String> outputs = new LinkedHashMap<>();
            item.path("outputs").fields().forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().asText()));
            resources.add(new PoolResource(item.path("key").asText(), item.path("name").asText(),
                    item.hasNonNull("id") ? item.get("id").asText() : null,
                    ResourceState.valueOf(item.path("state").asText()), outputs));
        }
        return new Progress(node.path("pass").asLong(), resources, node.path("retries").asInt(),
                readFailure(node.get("failure")), readEndpoints(node.get("endpoints")));
    }

    private static PoolFailure readFailure(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        return new PoolFailure(WorkItem.Kind.valueOf(node.path("work").asText()),
                node.hasNonNull("resource") ? node.get("resource").asText() : null,
                node.path("code").asText(), node.path("message").asText());
    }

    private static PoolEndpoints readEndpoints(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        List<PoolEndpoints.Ssh> ssh = new ArrayList<>();
        for (JsonNode item : node.path("ssh")) {
            ssh.add(new PoolEndpoints.Ssh(item.path("instanceId").asText(), item.path("port").asInt(),
                    item.path("command").asText()));
        }
        // Pools made Ready before the pool-wide SSH rule have no login stored; their address is the same.
        String dns = node.path("dnsName").asText();
        return new PoolEndpoints(dns, node.path("jupyterHub").asText(),
                node.path("sshLogin").asText(PoolEndpoints.sshLogin(dns)), ssh);
    }
}
