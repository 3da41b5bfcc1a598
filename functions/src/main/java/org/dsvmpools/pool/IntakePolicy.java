package org.dsvmpools.pool;

import java.util.List;
import java.util.Set;

/**
 * What an installation allows beyond the fixed rules: the VM sizes pools may use. Operators set it with the
 * {@code DSVMPOOLS_ALLOWED_VM_SIZES} app setting.
 */
public record IntakePolicy(Set<String> allowedVmSizes) {
    /** General-purpose and memory-optimised v5 sizes that DSVM images run on, plus two T4 GPU sizes. */
    public static final List<String> DEFAULT_VM_SIZES = List.of(
            "Standard_D2s_v5", "Standard_D4s_v5", "Standard_D8s_v5", "Standard_D16s_v5",
            "Standard_E4s_v5", "Standard_E8s_v5", "Standard_E16s_v5",
            "Standard_NC4as_T4_v3", "Standard_NC8as_T4_v3");

    public IntakePolicy {
        if (allowedVmSizes.isEmpty()) {
            throw new IllegalArgumentException("the VM size allow-list is empty: no pool could be requested");
        }
        allowedVmSizes = Set.copyOf(allowedVmSizes);
    }

    public static IntakePolicy defaults() {
        return new IntakePolicy(Set.copyOf(DEFAULT_VM_SIZES));
    }
}
