package org.dsvmpools.provisioning;

import java.util.Arrays;

/**
 * Each resource's role in a pool, shared by the blueprint, the reconciler, the worker and the ARM adapter. The
 * pool record keeps {@link #value()}, so stored pools read the same as before.
 */
public enum ResourceKey {
    RESOURCE_GROUP("resourceGroup"),
    SECURITY_GROUP("securityGroup"),
    PUBLIC_IP("publicIp"),
    NETWORK("network"),
    LOAD_BALANCER("loadBalancer"),
    STORAGE("storage"),
    SHARE("share"),
    SCALE_SET("scaleSet"),
    STORAGE_KEY_ROLE("storageKeyRole"),
    FILES_ROLE("filesRole"),
    USAGE_QUEUE_ROLE("usageQueueRole");

    private final String value;

    ResourceKey(String value) {
        this.value = value;
    }

    /** The key as the pool record and the API show it. */
    public String value() {
        return value;
    }

    public static ResourceKey of(String value) {
        return Arrays.stream(values()).filter(key -> key.value.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no resource key '" + value + "'"));
    }

    @Override
    public String toString() {
        return value;
    }
}
