package org.dsvmpools.provisioning;

import java.util.Map;

/**
 * The port to Azure, shaped like crossplane's external client: observe, and begin a create or a delete; never
 * wait for one. Every call is idempotent. Errors arrive as {@link CloudException}, already translated from the
 * SDK by the adapter.
 */
public interface CloudResources {

    /** Creates or updates the resource group; ARM does this synchronously. */
    void ensureGroup(PoolBlueprint.ResourceGroup group);

    Observation observe(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource);

    /** Begins creating (or updating) {@code resource}; {@code done} holds the observations of what it depends on. */
    void beginCreate(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource, Map<String, Observation> done);

    void beginDelete(PoolBlueprint.ResourceGroup group, PoolBlueprint.Resource resource);

    /** Begins deleting the resource group and everything in it. */
    void beginDeleteGroup(PoolBlueprint.ResourceGroup group);

    /** True when the resource group no longer exists. */
    boolean groupGone(PoolBlueprint.ResourceGroup group);

    /** An ARM error, as code, HTTP status and message: the domain's view of an SDK exception. */
    final class CloudException extends RuntimeException {
        private final String code;
        private final int status;

        public CloudException(String code, int status, String message, Throwable cause) {
            super(message, cause);
            this.code = code;
            this.status = status;
        }

        public String code() {
            return code;
        }

        public int status() {
            return status;
        }

        public ArmErrorClass classification() {
            return ArmErrors.classify(code, status);
        }
    }
}
