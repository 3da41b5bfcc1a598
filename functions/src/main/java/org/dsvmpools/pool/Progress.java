package org.dsvmpools.pool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The worker's record of one generation's work: what it has asked Azure for and what Azure answered, so that the
 * next delivery resumes where the last one stopped instead of starting over.
 *
 * @param pass      how many passes this generation has had; the follow-up message of a pass carries the new number,
 *                  so a duplicate or superseded message is recognised and dropped
 * @param resources by key, in the blueprint's order
 * @param retries   retryable failures in a row; reset by any pass that gets further
 * @param failure   why the pool is Failed, when it is
 * @param endpoints how to reach the pool, once Ready
 */
public record Progress(long pass, List<PoolResource> resources, int retries, PoolFailure failure,
                       PoolEndpoints endpoints) {
    public static final Progress NONE = new Progress(0, List.of(), 0, null, null);

    public Progress {
        resources = List.copyOf(resources);
    }

    public Optional<PoolResource> resource(String key) {
        return resources.stream().filter(r -> r.key().equals(key)).findFirst();
    }

    public Map<String, PoolResource> byKey() {
        Map<String, PoolResource> byKey = new LinkedHashMap<>();
        resources.forEach(r -> byKey.put(r.key(), r));
        return byKey;
    }

    /** The start of a provisioning generation: every resource is asked for again, what is known about it stays. */
    public Progress restart() {
        return new Progress(0, resources.stream().map(r -> r.withState(ResourceState.Pending)).toList(), 0, null,
                null);
    }

    /**
     * The start of a teardown generation: the resources keep their states, so the teardown knows what exists
     * (and so what it keeps) rather than only what it deletes.
     */
    public Progress restartTeardown() {
        return new Progress(0, resources, 0, null, null);
    }

    public Progress with(List<PoolResource> updated, int retriesNow, PoolFailure failureNow, PoolEndpoints reach) {
        return new Progress(pass, updated, retriesNow, failureNow, reach);
    }

    /** The progress a follow-up message continues from. */
    public Progress nextPass() {
        return new Progress(pass + 1, resources, retries, failure, endpoints);
    }
}
