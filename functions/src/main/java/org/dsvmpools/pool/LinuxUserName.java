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

    /**
     * The names Azure refuses as a Linux VM's admin user name (Compute's FAQ, "What are the username
     * requirements when creating a VM?"): a scale set whose admin has one fails with InvalidParameter.
     */
    public static final Set<String> AZURE_RESERVED_ADMIN_NAMES = Set.of("administrator", "admin", "user", "user1",
            "test", "user2", "test1", "user3", "admin1", "1", "123", "a", "actuser", "adm", "admin2", "aspnet",
            "backup", "console", "david", "guest", "john", "owner", "root", "server", "sql", "support",
            "support_388945a0", "sys", "test2", "test3", "user4", "user5");

    /** System accounts of Ubuntu and the DSVM image. */
    private static final Set<String> SYSTEM = Set.of(
            "daemon", "bin", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "list", "irc",
            "gnats", "nobody", "systemd-network", "systemd-resolve", "systemd-timesync", "messagebus", "syslog",
            "sshd", "ubuntu", "omsagent", "nxautomation", "jupyterhub", "docker", "sudo", "wheel", "operator",
            "input", "staff", "users", "dsvmpools");

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
        if (AZURE_RESERVED_ADMIN_NAMES.contains(candidate)) {
            return Optional.of("'" + candidate + "' is a name Azure refuses for a VM's administrator");
        }
        if (SYSTEM.contains(candidate)) {
            return Optional.of("'" + candidate + "' is reserved on the VMs");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
