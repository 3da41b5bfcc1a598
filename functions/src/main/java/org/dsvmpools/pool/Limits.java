package org.dsvmpools.pool;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the installation lets callers spend, so that no function-key holder or signed-in user can request pools
 * until the subscription's quota is gone: pools per owner ({@code DSVMPOOLS_MAX_POOLS_PER_OWNER}, which a
 * {@code Pools.Admin} may exceed), instances across all pools, counted as the sum of every pool's {@code max}
 * ({@code DSVMPOOLS_MAX_INSTANCES}, which nobody may exceed), and the regions pools may be in
 * ({@code DSVMPOOLS_ALLOWED_REGIONS}; empty: any region Azure has).
 */
public record Limits(int poolsPerOwner, int instances, Set<String> regions) {
    public static final String POOLS_PER_OWNER_SETTING = "DSVMPOOLS_MAX_POOLS_PER_OWNER";
    public static final String INSTANCES_SETTING = "DSVMPOOLS_MAX_INSTANCES";
    public static final String REGIONS_SETTING = "DSVMPOOLS_ALLOWED_REGIONS";
    public static final int DEFAULT_POOLS_PER_OWNER = 5;
    /** Twice a typical department pool's max (100, the most a pool may have): a regional vCPU quota's size. */
    public static final int DEFAULT_INSTANCES = 200;

    public Limits {
        if (poolsPerOwner < 1 || instances < 1) {
            throw new IllegalArgumentException(POOLS_PER_OWNER_SETTING + " and " + INSTANCES_SETTING
                    + " must be at least 1: with 0 no pool could be requested");
        }
        regions = regions.stream().map(region -> region.trim().toLowerCase(Locale.ROOT)).filter(r -> !r.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_POOLS_PER_OWNER, DEFAULT_INSTANCES, Set.of());
    }

    public boolean allowsRegion(String region) {
        return regions.isEmpty() || regions.contains(region.toLowerCase(Locale.ROOT));
    }

    /**
     * A request that would pass a limit: which, what it allows, what is in use, and what the request adds.
     *
     * @param setting the app setting that sets the limit
     */
    public record Overrun(String setting, String what, long allowed, long inUse, long requested) {
        public String describe() {
            return setting + " allows " + allowed + " " + what + "; " + inUse + " in use, and this asks for "
                    + requested;
        }
    }
}
