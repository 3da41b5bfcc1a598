package org.dsvmpools.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dsvmpools.cloud.CloudException;
import org.dsvmpools.pool.PoolResource;

/**
 * An in-memory Azure for reconciler and worker tests: begun operations stay in progress until {@link #finishAll()},
 * and an error can be scripted for one resource's next call. Every call is listed in {@link #calls}.
 */
final class FakeCloud implements CloudResources {
    final Map<String, Observation.State> states = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    private final Map<String, CloudException> nextErrors = new HashMap<>();
    private final Map<String, Boolean> deleting = new HashMap<>();
    boolean groupExists;
    Duration hint;
    /** Resources that exist without the pool's tags (someone else's), by key, with the tags they carry. */
    final Map<String, Map<String, String>> foreign = new HashMap<>();
    /** The tags of a resource group that exists and is someone else's, or null. */
    Map<String, String> foreignGroup;

    private final Map<String, CloudException> stickyErrors = new HashMap<>();

    void failAlways(String key, String code, int status) {
        stickyErrors.put(key, new CloudException(code, status, "injected " + code, null));
    }

    void failNext(String key, String code, int status) {
        nextErrors.put(key, new CloudException(code, status, "injected " + code, null));
    }

    /** Every operation in flight ends: creates succeed, deletes remove. */
    void finishAll() {
        states.replaceAll((key, state) -> state == Observation.State.IN_PROGRESS && deleting.getOrDefault(key, false)
                ? null : state == Observation.State.IN_PROGRESS ? Observation.State.SUCCEEDED : state);
        states.values().removeIf(java.util.Objects::isNull);
        deleting.clear();
    }

    long creates(String key) {
        return calls.stream().filter(call -> call.equals("create " + key)).count();
    }

    private void maybeFail(String key) {
        CloudException error = nextErrors.remove(key);
        if (error == null) {
            error = stickyErrors.get(key);
        }
        if (error != null) {
            throw error;
        }
    }

    private Observation now(String key) {
        if (foreign.containsKey(key)) {
            return new Observation(Observation.State.SUCCEEDED, "/id/" + key, Map.of(), null, foreign.get(key));
        }
        Observation.State state = states.getOrDefault(key, Observation.State.MISSING);
        Map<String, String> outputs = switch (key) {
            case "publicIp" -> Map.of(Outputs.FQDN, "ml-team.westeurope.cloudapp.azure.com");
            case "scaleSet" -> Map.of(Outputs.PRINCIPAL_ID, "principal-1");
            default -> Map.of();
        };
        return new Observation(state, state == Observation.State.MISSING ? null : "/id/" + key, outputs, hint);
    }

    @Override
    public void ensureGroup(PoolBlueprint.ResourceGroup group) {
        calls.add("ensure group");
        maybeFail("resourceGroup");
        groupExists = true;
    }

    @Override
    public java.util.Optional<Map<String, String>> groupTags(PoolBlueprint.ResourceGroup group) {
        calls.add("group tags");
        return java.util.Optional.ofNullable(foreignGroup);
    }

    @Override
    public Observation observe(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource) {
        calls.add("observe " + resource.key().value());
        maybeFail(resource.key().value());
        return now(resource.key().value());
    }

    @Override
    public Observation beginCreate(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                                   Map<String, PoolResource> known) {
        calls.add("create " + resource.key().value());
        maybeFail(resource.key().value());
        boolean instant = resource instanceof PoolBlueprint.RoleAssignment;
        states.put(resource.key().value(), instant ? Observation.State.SUCCEEDED : Observation.State.IN_PROGRESS);
        return now(resource.key().value());
    }

    @Override
    public Observation beginDelete(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                                   Map<String, PoolResource> known) {
        calls.add("delete " + resource.key().value());
        maybeFail(resource.key().value());
        if (!states.containsKey(resource.key().value()) || resource instanceof PoolBlueprint.RoleAssignment) {
            states.remove(resource.key().value());
            return Observation.missing();
        }
        states.put(resource.key().value(), Observation.State.IN_PROGRESS);
        deleting.put(resource.key().value(), true);
        return now(resource.key().value());
    }

    @Override
    public Observation beginDeleteGroup(PoolBlueprint.ResourceGroup group) {
        calls.add("delete group");
        if (!groupExists) {
            return Observation.missing();
        }
        states.clear();
        groupExists = false;
        return new Observation(Observation.State.IN_PROGRESS, null, Map.of());
    }

    @Override
    public boolean groupExists(PoolBlueprint.ResourceGroup group) {
        calls.add("group exists");
        return groupExists;
    }

    @Override
    public Map<String, Integer> sshPorts(PoolBlueprint.ResourceGroup group, PoolBlueprint.LoadBalancer loadBalancer,
                                         PoolBlueprint.ScaleSet scaleSet) {
        calls.add("list instances");
        maybeFail("instances");
        return Map.of("0", loadBalancer.sshFrontendFirst(), "1", loadBalancer.sshFrontendFirst() + 1);
    }
}
