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

    /**
     * The users and groups an Ubuntu 22.04 DSVM has before any pool user: Debian's base passwd and group files,
     * Ubuntu's and the image's own (JupyterHub, Docker, the Azure agents), and the pool's group. The roster agent
     * refuses any name the VM already has; this list refuses them before a pool user is promised one.
     */
    private static final Set<String> SYSTEM = Set.of(
            "daemon", "bin", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "list", "irc",
            "gnats", "nobody", "nogroup", "_apt", "_ssh", "tty", "disk", "kmem", "dialout", "fax", "voice", "cdrom",
            "floppy", "tape", "sudo", "audio", "dip", "operator", "src", "shadow", "utmp", "video", "sasl", "plugdev",
            "staff", "users", "input", "kvm", "render", "sgx", "netdev", "lxd", "crontab", "ssl-cert", "wheel",
            "systemd-journal", "systemd-network", "systemd-resolve", "systemd-timesync", "systemd-coredump",
            "messagebus", "syslog", "polkitd", "tss", "uuidd", "tcpdump", "landscape", "pollinate", "fwupd-refresh",
            "usbmux", "rtkit", "avahi", "colord", "pulse", "lightdm", "xrdp", "sshd", "ubuntu", "omsagent",
            "nxautomation", "jupyterhub", "docker", "postgres", "mysql", "dsvmpools");

    /**
     * Names Azure Files refuses for a directory, in any case (Naming and referencing shares, directories, files and
     * metadata): a user's folder could never be made. Those a Linux name can spell; {@code CLOCK$} cannot.
     */
    static final Set<String> FILES_RESERVED = Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3", "com4",
            "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8",
            "lpt9");

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
        if (FILES_RESERVED.contains(candidate)) {
            return Optional.of("'" + candidate + "' is a name Azure Files refuses for the user's folder");
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
