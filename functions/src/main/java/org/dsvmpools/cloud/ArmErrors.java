package org.dsvmpools.cloud;

import java.util.Locale;
import java.util.Map;

/**
 * The one place that decides whether an ARM error is worth retrying, by its error code first and its HTTP
 * status second (as Azure Service Operator's classifier does). Adapters translate SDK exceptions into a code and a
 * status and ask here; nothing else inspects ARM errors.
 */
public final class ArmErrors {
    private static final Map<String, ArmErrorClass> BY_CODE = Map.ofEntries(
            Map.entry("toomanyrequests", ArmErrorClass.RETRYABLE),
            Map.entry("throttled", ArmErrorClass.RETRYABLE),
            Map.entry("anotheroperationinprogress", ArmErrorClass.RETRYABLE),
            Map.entry("operationnotallowedwhileupdating", ArmErrorClass.RETRYABLE),
            Map.entry("allocationfailed", ArmErrorClass.RETRYABLE),
            Map.entry("zonalallocationfailed", ArmErrorClass.RETRYABLE),
            Map.entry("overconstrainedallocationrequest", ArmErrorClass.RETRYABLE),
            Map.entry("internalservererror", ArmErrorClass.RETRYABLE),
            Map.entry("serviceunavailable", ArmErrorClass.RETRYABLE),
            Map.entry("gatewaytimeout", ArmErrorClass.RETRYABLE),
            Map.entry("retryableerror", ArmErrorClass.RETRYABLE),
            Map.entry("invalidparameter", ArmErrorClass.FATAL),
            Map.entry("invalidresourcename", ArmErrorClass.FATAL),
            Map.entry("invalidtemplate", ArmErrorClass.FATAL),
            Map.entry("skunotavailable", ArmErrorClass.FATAL),
            Map.entry("quotaexceeded", ArmErrorClass.FATAL),
            Map.entry("operationnotallowed", ArmErrorClass.FATAL),
            Map.entry("requestdisallowedbypolicy", ArmErrorClass.FATAL),
            Map.entry("authorizationfailed", ArmErrorClass.FATAL),
            Map.entry("storageaccountalreadytaken", ArmErrorClass.FATAL),
            Map.entry("accountnameinvalid", ArmErrorClass.FATAL));

    private ArmErrors() {
    }

    /**
     * @param code   the ARM error code ({@code error.code}), or null when the response had none
     * @param status the HTTP status, or 0 when no response arrived (a connection failure: retryable)
     */
    public static ArmErrorClass classify(String code, int status) {
        if (code != null) {
            ArmErrorClass known = BY_CODE.get(code.toLowerCase(Locale.ROOT));
            if (known != null) {
                return known;
            }
        }
        if (status == 0 || status == 408 || (status == 409 && code == null) || status == 429 || status >= 500) {
            return ArmErrorClass.RETRYABLE;
        }
        return ArmErrorClass.FATAL;
    }
}
