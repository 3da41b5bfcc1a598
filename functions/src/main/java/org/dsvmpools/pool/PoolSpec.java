package org.dsvmpools.pool;

import java.util.List;
import java.util.Objects;

/**
 * What a caller asks for: the pool document of {@code POST /api/pools} with every default filled in, so that two
 * requests that mean the same pool compare equal. Field values are as the caller sent them; the rules they must
 * satisfy are checked by {@link PoolSpecRules} (intake) and never again on stored specs, so tightening a rule
 * later cannot make a stored pool unreadable.
 *
 * @param resourceGroup an existing resource group to deploy into, or {@code null} for one of the pool's own
 *                      ({@code dsvmpools-<name>}), which dsvm-pools creates and a purge deletes
 * @param schedule      the work schedule, or {@code null} when the pool has none
 * @param scaling       the scaler's spare capacity, defaults filled in
 * @param rosterGroupId a Microsoft Entra group whose members are the pool's users, or null
 * @param image         the image new instances get ({@code publisher:offer:sku:version}); null only in pools
 *                      stored before the field existed, which get the installation's default image
 */
public record PoolSpec(
        String name,
        String location,
        String resourceGroup,
        String vmSize,
        Capacity capacity,
        int usersPerInstance,
        Share share,
        Access access,
        Schedule schedule,
        int idleTimeoutMinutes,
        List<PoolUser> users,
        Scaling scaling,
        String rosterGroupId,
        String image) {

    public static final int DEFAULT_USERS_PER_INSTANCE = 4;
    public static final int DEFAULT_QUOTA_GIB = 1024;
    public static final int DEFAULT_IDLE_TIMEOUT_MINUTES = 30;

    public PoolSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(share, "share");
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(scaling, "scaling");
        users = List.copyOf(users);
    }

    public PoolSpec(String name, String location, String resourceGroup, String vmSize, Capacity capacity,
                    int usersPerInstance, Share share, Access access, Schedule schedule, int idleTimeoutMinutes,
                    List<PoolUser> users, Scaling scaling, String rosterGroupId) {
        this(name, location, resourceGroup, vmSize, capacity, usersPerInstance, share, access, schedule,
                idleTimeoutMinutes, users, scaling, rosterGroupId, null);
    }

    /** The same pool with {@code image} for new instances. */
    public PoolSpec withImage(String image) {
        return new PoolSpec(name, location, resourceGroup, vmSize, capacity, usersPerInstance, share, access, schedule,
                idleTimeoutMinutes, users, scaling, rosterGroupId, image);
    }

    /**
     * How much spare capacity the scaler keeps.
     *
     * @param seatHeadroom     the most free seats kept above the active users in work hours, as arrivals ask (default:
     *                         one instance's worth)
     * @param standbyInstances deallocated instances kept for a 90-second start instead of a 240-second create; each
     *                         still pays for its OS disk
     */
    public record Scaling(int seatHeadroom, int standbyInstances) {
        public static final int DEFAULT_STANDBY_INSTANCES = 2;
    }

    public PoolName poolName() {
        return new PoolName(name);
    }

    public record Capacity(int min, int max, int initial) {
    }

    public record Share(int quotaGiB) {
    }

    public record Access(
            String adminUsername, List<String> sshPublicKeys, List<String> allowedSourceCidrs, boolean allowInternet) {
        public Access {
            sshPublicKeys = List.copyOf(sshPublicKeys);
            allowedSourceCidrs = List.copyOf(allowedSourceCidrs);
        }
    }

    /** @param holidays ISO dates ({@code 2026-12-25}) on which the work schedule does not apply */
    public record Schedule(String timeZone, List<String> workDays, WorkHours workHours, int minInstancesDuringWorkHours,
                           List<String> holidays) {
        public static final List<String> DEFAULT_WORK_DAYS = List.of("MON", "TUE", "WED", "THU", "FRI");

        public Schedule {
            workDays = List.copyOf(workDays);
            holidays = List.copyOf(holidays);
        }
    }

    public record WorkHours(String start, String end) {
        public static final WorkHours DEFAULT = new WorkHours("08:00", "18:00");
    }

    /** A user the pool starts with; {@code email} (or null) lets them sign in to JupyterHub with Entra ID. */
    public record PoolUser(String name, List<String> sshPublicKeys, String email) {
        public PoolUser {
            sshPublicKeys = List.copyOf(sshPublicKeys);
        }

        public PoolUser(String name, List<String> sshPublicKeys) {
            this(name, sshPublicKeys, null);
        }
    }
}
