package org.dsvmpools.pool;

import java.util.List;
import java.util.Set;

/**
 * What an installation allows beyond the fixed rules: the VM sizes and images pools may use, and the existing
 * resource groups a spec may deploy into. Operators set them with the {@code DSVMPOOLS_ALLOWED_VM_SIZES},
 * {@code DSVMPOOLS_VM_IMAGE}, {@code DSVMPOOLS_ALLOWED_IMAGES} and {@code DSVMPOOLS_ALLOWED_RESOURCE_GROUPS} app
 * settings.
 *
 * @param allowedImages         the images pools may name, the first being what a pool that names none gets
 * @param allowedResourceGroups the existing groups a spec's {@code resourceGroup} may name, lower case; empty (the
 *                              default) means none, so every pool gets a group of its own (#27: the app may write
 *                              anywhere its role reaches, so a spec must not pick where)
 */
public record IntakePolicy(Set<String> allowedVmSizes, List<String> allowedImages,
                           Set<String> allowedResourceGroups) {
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
        if (allowedImages.isEmpty()) {
            throw new IllegalArgumentException("the image allow-list is empty: no pool could be requested");
        }
        allowedImages.forEach(PoolImage::new);
        allowedImages = List.copyOf(new java.util.LinkedHashSet<>(allowedImages));
        // Resource group names are case-insensitive in ARM.
        allowedResourceGroups = allowedResourceGroups.stream().map(g -> g.toLowerCase(java.util.Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    public IntakePolicy(Set<String> allowedVmSizes, List<String> allowedImages) {
        this(allowedVmSizes, allowedImages, Set.of());
    }

    /** Whether a spec may name this existing resource group. */
    public boolean allowsResourceGroup(String name) {
        return allowedResourceGroups.contains(name.toLowerCase(java.util.Locale.ROOT));
    }

    public IntakePolicy(Set<String> allowedVmSizes) {
        this(allowedVmSizes, List.of(PoolImage.DEFAULT));
    }

    public static IntakePolicy defaults() {
        return new IntakePolicy(Set.copyOf(DEFAULT_VM_SIZES));
    }

    /** The image of a pool whose request names none. */
    public String defaultImage() {
        return allowedImages.get(0);
    }
}
