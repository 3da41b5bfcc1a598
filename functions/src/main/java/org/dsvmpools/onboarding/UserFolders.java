package org.dsvmpools.onboarding;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.dsvmpools.pool.LinuxUserName;

/**
 * Where a user's data lives on the pool's share. Every path is built from a validated {@link LinuxUserName}
 * ({@code [a-z][a-z0-9_-]*}), never from raw event text, so no field of an event can reach outside
 * {@code users/} (or {@code archive/} for the archive): there is no separator, dot-dot or NUL to smuggle in.
 */
public final class UserFolders {
    public static final String USERS = "users";
    public static final String ARCHIVE = "archive";
    public static final String MANIFEST_DIRECTORY = ".pool";
    public static final String MANIFEST = ".pool/users.json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private UserFolders() {
    }

    /** {@code users/<name>}, then {@code users/<name>/notebooks}: Azure Files makes one directory at a time. */
    public static List<String> home(LinuxUserName name) {
        return List.of(USERS + "/" + name.value(), notebooks(name));
    }

    public static String notebooks(LinuxUserName name) {
        return USERS + "/" + name.value() + "/notebooks";
    }

    public static String archive(LinuxUserName name, Instant at) {
        return ARCHIVE + "/" + name.value() + "-" + STAMP.format(at);
    }
}
