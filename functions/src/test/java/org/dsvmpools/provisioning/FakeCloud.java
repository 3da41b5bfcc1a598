package org.dsvmpools.provisioning;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory Azure for reconciler tests: begun operations stay in progress until {@link #finishAll()}, and
 * an error can be scripted for one resource's next call.
 */
final class FakeCloud implements CloudResources {
    final Map<String, Observation.State> states = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    private final Map<String, CloudException> nextErrors = new HashMap<>();
    private final Map<String, Boolean> deleting = new HashMap<>();
    boolean groupExists;

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
        if (error != null) {
            throw error;
        }
    }

    @Override
    public void ensureGroup(PoolBlueprint.ResourceGroup group) {
        maybeFail("resourceGroup");
        groupExists = true;
    }

    @Override
    public Observation observe(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource) {
        maybeFail(resource.key());
        Observation.State state = states.getOrDefault(resource.key(), Observation.State.MISSING);
        return new Observation(state, state == Observation.State.MISSING ? null : "/id/" + resource.key(), Map.of());
    }

    @Override
    public void beginCreate(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource,
                            Map<String, Observation> done) {
        calls.add("create " + resource.key());
        states.put(resource.key(), Observation.State.IN_PROGRESS);
    }

    @Override
    public void beginDelete(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource) {
        calls.add("delete " + resource.key());
        states.put(resource.key(), Observation.State.IN_PROGRESS);
        deleting.put(resource.key(), true);
    }

    @Override
    public void beginDeleteGroup(PoolBlueprint.ResourceGroup group) {
        calls.add("delete group");
        states.clear();
        groupExists = false;
    }

    @Override
    public boolean groupGone(PoolBlueprint.ResourceGroup group) {
        return !groupExists;
    }
}
