package org.dsvmpools.pool;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Linux account name on the pool's VMs: lowercase, starting with a letter, {@code [a-z0-9_-]}, at most 32
 * characters (useradd's portable rule), and none of the names the image or Azure reserve.
 */
public record LinuxUserName(String value) {
    private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    /** System accounts of Ubuntu and the DSVM image, and the names Azure refuses as admin user names. */
    private static final Set<String> RESERVED = Set.of(
            "root", "admin", "administrator", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail",
            "news", "uucp", "proxy", "www-data", "backup", "list", "irc", "gnats", "nobody", "systemd-network",
            "systemd-resolve", "systemd-timesync", "messagebus", "syslog", "sshd", "ubuntu", "omsagent",
            "nxautomation", "jupyterhub", "docker", "user", "user1", "user2", "test", "test1", "test2",
            "guest", "support", "support_388945a0", "sudo", "wheel", "operator", "adm", "a", "actuser",
            "aspnet", "owner", "server", "sql", "console", "david", "john", "input", "staff", "users",
            "dsvmpools");

    public LinuxUserName {
        problem(value).ifPresent(message -> {
            throw new IllegalArgumentException("invalid user name '" + value + "': " + message);
        });
    }

    /** Why {@code candidate} is not a usable account name, or empty when it is. */
    public static Optional<String> problem(String candidate) {
        if (candidate == null || !RULE.matcher(candidate).matches()) {
            return Optional.of("must be 1-32 characters of a-z, 0-9, '_' and '-', starting with a lowercase letter");
        }
        if (RESERVED.contains(candidate)) {
            return Optional.of("'" + candidate + "' is reserved on the VMs");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
