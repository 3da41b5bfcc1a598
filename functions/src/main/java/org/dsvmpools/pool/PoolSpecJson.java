package org.dsvmpools.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON form of a {@link PoolSpec}, both ways. Reading checks structure only (types, required and unknown
 * fields) and fills defaults; the rules on values live in {@link PoolSpecRules}.
 */
public final class PoolSpecJson {
    private PoolSpecJson() {
    }

    /** The outcome of reading: a spec, or every structural error found. */
    public record ReadResult(PoolSpec spec, List<FieldError> errors) {
        public ReadResult {
            errors = List.copyOf(errors);
        }

        public boolean isValid() {
            return errors.isEmpty();
        }
    }

    /** The pool document's top-level fields, as {@link #read} reads them (PoolSpecJsonTest keeps the two equal). */
    public static final java.util.Set<String> FIELDS = java.util.Set.of("name", "location", "resourceGroup", "vmSize",
            "capacity", "usersPerInstance", "share", "access", "schedule", "idleTimeoutMinutes", "users", "scaling",
            "rosterGroupId", "image");

    public static ReadResult read(JsonNode document) {
        List<FieldError> errors = new ArrayList<>();
        JsonObjectReader root = JsonObjectReader.of(document, "", errors);
        String name = root.text("name", true);
        String location = root.text("location", true);
        String resourceGroup = root.text("resourceGroup", false);
        String vmSize = root.text("vmSize", true);
        PoolSpec.Capacity capacity = capacity(root.object("capacity", true));
        int usersPerInstance = root.integer("usersPerInstance", PoolSpec.DEFAULT_USERS_PER_INSTANCE);
        PoolSpec.Share share = share(root.object("share", false));
        PoolSpec.Access access = access(root.object("access", true));
        PoolSpec.Schedule schedule = schedule(root.object("schedule", false));
        int idleTimeout = root.integer("idleTimeoutMinutes", PoolSpec.DEFAULT_IDLE_TIMEOUT_MINUTES);
        List<PoolSpec.PoolUser> users = root.array("users", false,
                (item, pointer) -> user(JsonObjectReader.of(item, pointer, errors)));
        PoolSpec.Scaling scaling = scaling(root.object("scaling", false), usersPerInstance, capacity.max());
        String rosterGroupId = root.text("rosterGroupId", false);
        String image = root.text("image", false);
        root.rejectUnknownFields();
        PoolSpec spec = new PoolSpec(name, location, resourceGroup, vmSize, capacity, usersPerInstance, share, access,
                schedule, idleTimeout, users, scaling, rosterGroupId == null ? null
                : rosterGroupId.toLowerCase(java.util.Locale.ROOT), image);
        return new ReadResult(spec, errors);
    }

    private static PoolSpec.Capacity capacity(JsonObjectReader object) {
        int min = object.integer("min", 0);
        int max = object.integer("max", null, PoolSpecRules.MAX_CAPACITY);
        int initial = object.integer("initial", min);
        object.rejectUnknownFields();
        return new PoolSpec.Capacity(min, max, initial);
    }

    /** Defaults: one instance's worth of spare seats, and two standby instances (fewer when max is lower). */
    private static PoolSpec.Scaling scaling(JsonObjectReader object, int usersPerInstance, int max) {
        int defaultStandby = Math.max(0, Math.min(PoolSpec.Scaling.DEFAULT_STANDBY_INSTANCES, max));
        if (object == null) {
            return new PoolSpec.Scaling(usersPerInstance, defaultStandby);
        }
        int headroom = object.integer("seatHeadroom", usersPerInstance);
        int standby = object.integer("standbyInstances", defaultStandby);
        object.rejectUnknownFields();
        return new PoolSpec.Scaling(headroom, standby);
    }

    private static PoolSpec.Share share(JsonObjectReader object) {
        if (object == null) {
            return new PoolSpec.Share(PoolSpec.DEFAULT_QUOTA_GIB);
        }
        int quota = object.integer("quotaGiB", PoolSpec.DEFAULT_QUOTA_GIB);
        object.rejectUnknownFields();
        return new PoolSpec.Share(quota);
    }

    private static PoolSpec.Access access(JsonObjectReader object) {
        String admin = object.text("adminUsername", true);
        List<String> keys = object.texts("sshPublicKeys", true);
        List<String> cidrs = object.texts("allowedSourceCidrs", true);
        boolean allowInternet = object.bool("allowInternet", false);
        object.rejectUnknownFields();
        return new PoolSpec.Access(admin, keys, cidrs, allowInternet);
    }

    private static PoolSpec.Schedule schedule(JsonObjectReader object) {
        if (object == null) {
            return null;
        }
        String timeZone = object.text("timeZone", true);
        List<String> workDays = object.texts("workDays", false);
        JsonObjectReader hours = object.object("workHours", false);
        PoolSpec.WorkHours workHours = hours == null ? PoolSpec.WorkHours.DEFAULT : workHours(hours);
        int minInstances = object.integer("minInstancesDuringWorkHours", 0);
        List<String> holidays = object.texts("holidays", false);
        object.rejectUnknownFields();
        return new PoolSpec.Schedule(timeZone, workDays.isEmpty() ? PoolSpec.Schedule.DEFAULT_WORK_DAYS : workDays,
                workHours, minInstances, holidays);
    }

    private static PoolSpec.WorkHours workHours(JsonObjectReader object) {
        String start = object.text("start", true);
        String end = object.text("end", true);
        object.rejectUnknownFields();
        return new PoolSpec.WorkHours(start, end);
    }

    private static PoolSpec.PoolUser user(JsonObjectReader object) {
        String name = object.text("name", true);
        List<String> keys = object.texts("sshPublicKeys", false);
        String email = object.text("email", false);
        object.rejectUnknownFields();
        return new PoolSpec.PoolUser(name, keys, email);
    }

    public static ObjectNode write(PoolSpec spec) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("name", spec.name());
        root.put("location", spec.location());
        if (spec.rosterGroupId() != null) {
            root.put("rosterGroupId", spec.rosterGroupId());
        }
        if (spec.resourceGroup() != null) {
            root.put("resourceGroup", spec.resourceGroup());
        }
        root.put("vmSize", spec.vmSize());
        if (spec.image() != null) {
            root.put("image", spec.image());
        }
        root.putObject("capacity")
                .put("min", spec.capacity().min())
                .put("max", spec.capacity().max())
                .put("initial", spec.capacity().initial());
        root.put("usersPerInstance", spec.usersPerInstance());
        root.putObject("share").put("quotaGiB", spec.share().quotaGiB());
        ObjectNode access = root.putObject("access");
        access.put("adminUsername", spec.access().adminUsername());
        spec.access().sshPublicKeys().forEach(access.putArray("sshPublicKeys")::add);
        spec.access().allowedSourceCidrs().forEach(access.putArray("allowedSourceCidrs")::add);
        access.put("allowInternet", spec.access().allowInternet());
        if (spec.schedule() != null) {
            PoolSpec.Schedule schedule = spec.schedule();
            ObjectNode node = root.putObject("schedule");
            node.put("timeZone", schedule.timeZone());
            schedule.workDays().forEach(node.putArray("workDays")::add);
            node.putObject("workHours")
                    .put("start", schedule.workHours().start())
                    .put("end", schedule.workHours().end());
            node.put("minInstancesDuringWorkHours", schedule.minInstancesDuringWorkHours());
            if (!schedule.holidays().isEmpty()) {
                schedule.holidays().forEach(node.putArray("holidays")::add);
            }
        }
        root.put("idleTimeoutMinutes", spec.idleTimeoutMinutes());
        root.putObject("scaling").put("seatHeadroom", spec.scaling().seatHeadroom())
                .put("standbyInstances", spec.scaling().standbyInstances());
        var users = root.putArray("users");
        for (PoolSpec.PoolUser user : spec.users()) {
            ObjectNode node = users.addObject();
            node.put("name", user.name());
            user.sshPublicKeys().forEach(node.putArray("sshPublicKeys")::add);
            if (user.email() != null) {
                node.put("email", user.email());
            }
        }
        return root;
    }
}
