package org.dsvmpools.pool;

import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The rules a pool request must satisfy, each reported against the JSON pointer of the offending field. */
public final class PoolSpecRules {
    /** The most instances a pool may have: the load balancer keeps an SSH port for each. */
    public static final int MAX_CAPACITY = 100;
    static final int MIN_QUOTA_GIB = 100;
    static final int MAX_QUOTA_GIB = 102_400;
    static final int MAX_USERS_PER_INSTANCE = 64;
    static final int MIN_IDLE_MINUTES = 10;
    static final int MAX_HOLIDAYS = 366;
    static final int MAX_IDLE_MINUTES = 1440;
    private static final Set<String> WEEK_DAYS = Set.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
    private static final DateTimeFormatter HOURS = DateTimeFormatter.ofPattern("HH:mm");

    private final IntakePolicy policy;

    public PoolSpecRules(IntakePolicy policy) {
        this.policy = policy;
    }

    /** The spec with what the installation decides filled in: the image, when the request names none. */
    public PoolSpec completed(PoolSpec spec) {
        return spec.image() == null ? spec.withImage(policy.defaultImage()) : spec;
    }

    public List<FieldError> check(PoolSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        value(errors, "/name", spec.name(), PoolName::problem);
        if (!AzureRegions.isKnown(spec.location())) {
            errors.add(new FieldError("/location", "'" + spec.location()
                    + "' is not an Azure region name (use the programmatic name, such as westeurope)"));
        }
        if (spec.resourceGroup() != null) {
            value(errors, "/resourceGroup", spec.resourceGroup(), AzureNames::resourceGroupProblem);
            if (AzureNames.resourceGroupProblem(spec.resourceGroup()).isEmpty()
                    && !policy.allowsResourceGroup(spec.resourceGroup())) {
                errors.add(new FieldError("/resourceGroup", policy.allowedResourceGroups().isEmpty()
                        ? "this installation deploys every pool into a resource group of its own: leave resourceGroup"
                        + " out" : "'" + spec.resourceGroup() + "' is not a resource group pools may use here; allowed: "
                        + new TreeSet<>(policy.allowedResourceGroups())));
            }
        }
        if (spec.rosterGroupId() != null && !spec.rosterGroupId().matches(
                "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            errors.add(new FieldError("/rosterGroupId", "must be a Microsoft Entra group's object id (a GUID)"));
        }
        if (!policy.allowedVmSizes().contains(spec.vmSize())) {
            errors.add(new FieldError("/vmSize", "'" + spec.vmSize() + "' is not allowed here; allowed: "
                    + new TreeSet<>(policy.allowedVmSizes())));
        }
        if (spec.image() != null && !policy.allowedImages().contains(spec.image())) {
            errors.add(new FieldError("/image", PoolImage.problem(spec.image()).orElse("'" + spec.image()
                    + "' is not allowed here") + "; allowed: " + policy.allowedImages()));
        }
        capacity(errors, spec.capacity());
        range(errors, "/usersPerInstance", spec.usersPerInstance(), 1, MAX_USERS_PER_INSTANCE);
        range(errors, "/share/quotaGiB", spec.share().quotaGiB(), MIN_QUOTA_GIB, MAX_QUOTA_GIB);
        range(errors, "/idleTimeoutMinutes", spec.idleTimeoutMinutes(), MIN_IDLE_MINUTES, MAX_IDLE_MINUTES);
        range(errors, "/scaling/seatHeadroom", spec.scaling().seatHeadroom(), 0, MAX_CAPACITY * MAX_USERS_PER_INSTANCE);
        range(errors, "/scaling/standbyInstances", spec.scaling().standbyInstances(), 0, spec.capacity().max());
        access(errors, spec.access());
        if (spec.schedule() != null) {
            schedule(errors, spec.schedule(), spec.capacity());
        }
        users(errors, spec);
        return errors;
    }

    /** Dates, each once, at most a year's worth: a schedule is kept for the coming year, not for ever. */
    private static void holidays(List<FieldError> errors, List<String> holidays) {
        if (holidays.size() > MAX_HOLIDAYS) {
            errors.add(new FieldError("/schedule/holidays", "at most " + MAX_HOLIDAYS + " dates"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < holidays.size(); i++) {
            try {
                java.time.LocalDate.parse(holidays.get(i));
                if (!seen.add(holidays.get(i))) {
                    errors.add(new FieldError("/schedule/holidays/" + i, holidays.get(i) + " is listed twice"));
                }
            } catch (java.time.format.DateTimeParseException e) {
                errors.add(new FieldError("/schedule/holidays/" + i, "must be a date such as 2026-12-25"));
            }
        }
    }

    private static void capacity(List<FieldError> errors, PoolSpec.Capacity capacity) {
        range(errors, "/capacity/max", capacity.max(), 0, MAX_CAPACITY);
        range(errors, "/capacity/min", capacity.min(), 0, capacity.max());
        if (capacity.initial() < capacity.min() || capacity.initial() > capacity.max()) {
            errors.add(new FieldError("/capacity/initial", "must be between min (" + capacity.min()
                    + ") and max (" + capacity.max() + ")"));
        }
    }

    private static void access(List<FieldError> errors, PoolSpec.Access access) {
        value(errors, "/access/adminUsername", access.adminUsername(), LinuxUserName::problem);
        keys(errors, "/access/sshPublicKeys", access.sshPublicKeys(), true);
        if (access.allowedSourceCidrs().isEmpty()) {
            errors.add(new FieldError("/access/allowedSourceCidrs",
                    "at least one source network is required: SSH and JupyterHub are never open to everyone"));
        }
        for (int i = 0; i < access.allowedSourceCidrs().size(); i++) {
            String cidr = access.allowedSourceCidrs().get(i);
            String pointer = "/access/allowedSourceCidrs/" + i;
            Optional<String> problem = Cidr.problem(cidr);
            if (problem.isPresent()) {
                errors.add(new FieldError(pointer, problem.get()));
            } else if (new Cidr(cidr).isInternet() && !access.allowInternet()) {
                errors.add(new FieldError(pointer, "'" + cidr
                        + "' opens SSH and JupyterHub to the whole internet; set access.allowInternet to true"
                        + " if that is really meant"));
            }
        }
    }

    private static void schedule(List<FieldError> errors, PoolSpec.Schedule schedule, PoolSpec.Capacity capacity) {
        holidays(errors, schedule.holidays());
        if (!ZoneId.getAvailableZoneIds().contains(schedule.timeZone())) {
            errors.add(new FieldError("/schedule/timeZone", "'" + schedule.timeZone()
                    + "' is not an IANA time zone such as Europe/Berlin"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < schedule.workDays().size(); i++) {
            String day = schedule.workDays().get(i);
            if (!WEEK_DAYS.contains(day)) {
                errors.add(new FieldError("/schedule/workDays/" + i, "must be one of MON, TUE, WED, THU, FRI, SAT, SUN"));
            } else if (!seen.add(day)) {
                errors.add(new FieldError("/schedule/workDays/" + i, day + " is listed twice"));
            }
        }
        Optional<LocalTime> start = time(errors, "/schedule/workHours/start", schedule.workHours().start());
        Optional<LocalTime> end = time(errors, "/schedule/workHours/end", schedule.workHours().end());
        if (start.isPresent() && end.isPresent() && !start.get().isBefore(end.get())) {
            errors.add(new FieldError("/schedule/workHours/end", "must be later than start"));
        }
        range(errors, "/schedule/minInstancesDuringWorkHours", schedule.minInstancesDuringWorkHours(), 0,
                capacity.max());
    }

    private static void users(List<FieldError> errors, PoolSpec spec) {
        Set<String> names = new HashSet<>();
        names.add(spec.access().adminUsername());
        for (int i = 0; i < spec.users().size(); i++) {
            PoolSpec.PoolUser user = spec.users().get(i);
            String pointer = "/users/" + i;
            value(errors, pointer + "/name", user.name(), LinuxUserName::problem);
            if (!names.add(user.name())) {
                errors.add(new FieldError(pointer + "/name", "'" + user.name()
                        + "' is listed twice or is the admin user"));
            }
            keys(errors, pointer + "/sshPublicKeys", user.sshPublicKeys(), false);
            if (user.email() != null) {
                value(errors, pointer + "/email", user.email(), EmailAddress::problem);
            }
        }
    }

    private static void keys(List<FieldError> errors, String pointer, List<String> keys, boolean required) {
        if (required && keys.isEmpty()) {
            errors.add(new FieldError(pointer, "at least one SSH public key is required (logins are by key only)"));
        }
        if (keys.size() > SshPublicKey.MAX_PER_USER) {
            errors.add(new FieldError(pointer, "at most " + SshPublicKey.MAX_PER_USER + " keys"));
        }
        for (int i = 0; i < keys.size(); i++) {
            value(errors, pointer + "/" + i, keys.get(i), SshPublicKey::problem);
        }
    }

    private static Optional<LocalTime> time(List<FieldError> errors, String pointer, String text) {
        try {
            return Optional.of(LocalTime.parse(text, HOURS));
        } catch (DateTimeException e) {
            errors.add(new FieldError(pointer, "must be a time of day as HH:mm"));
            return Optional.empty();
        }
    }

    private static void range(List<FieldError> errors, String pointer, int value, int min, int max) {
        if (value < min || value > max) {
            errors.add(new FieldError(pointer, "must be between " + min + " and " + max + ", was " + value));
        }
    }

    private static void value(List<FieldError> errors, String pointer, String value,
                              Function<String, Optional<String>> problem) {
        problem.apply(value).ifPresent(message -> errors.add(new FieldError(pointer, message)));
    }
}
