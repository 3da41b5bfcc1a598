package org.dsvmpools.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A disposable stand-in for a pool's VM on this Debian machine: a script runs as root in a mount and PID
 * namespace of its own, with {@code /etc} an overlay whose changes land in the sandbox's folder, and
 * {@code /root} and {@code /home} bound to folders of it. {@code useradd}, {@code usermod}, {@code chown},
 * {@code pkill}, {@code mountpoint} and {@code umount} are the real ones and act on that view only; the host's
 * accounts and processes are never touched. Only {@code mount} is replaced: it binds the share's folder
 * ({@code $S/share}) where the agents would mount it over SMB. State in {@code /etc}, {@code /root} and
 * {@code /home} carries over from one run to the next; mounts and processes end with each run.
 */
public final class RootSandbox {
    private static final String MOUNT_STUB = """
            #!/bin/bash
            # mount -t cifs //HOST/SHARE/PATH TARGET -o ... binds $S/share/PATH; mount TARGET (fstab) binds $S/share.
            if [ "$1" = -t ]; then
              path="${3#//*/*/}"
              [ -d "$S/share/$path" ] || { echo "mount error(2): No such file or directory" >&2; exit 32; }
              exec /bin/mount --bind "$S/share/$path" "$4"
            fi
            exec /bin/mount --bind "$S/share" "$1"
            """;

    private final Path dir;

    public RootSandbox(Path dir) throws IOException {
        this.dir = dir;
        for (String folder : List.of("etc-up", "etc-work", "root", "home", "share/.pool", "bin", "data/users",
                "accounts", "run")) {
            Files.createDirectories(dir.resolve(folder));
        }
        Path mount = dir.resolve("bin/mount");
        Files.writeString(mount, MOUNT_STUB);
        mount.toFile().setExecutable(true, false);
    }

    /** Why this machine cannot run the sandbox (not root, no namespaces, no overlayfs), or empty when it can. */
    public static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("the VM agents' sandbox needs root (CI runs as root); this runs as "
                    + System.getProperty("user.name"));
        }
        try {
            Path probe = Files.createTempDirectory("sandbox-probe");
            Result result = new RootSandbox(probe).run("getent passwd root > /dev/null", Map.of(),
                    Duration.ofSeconds(30));
            return result.exitCode() == 0 ? Optional.empty()
                    : Optional.of("unshare or overlayfs is not available here: " + result.output());
        } catch (IOException e) {
            return Optional.of("the sandbox could not start: " + e.getMessage());
        }
    }

    public Path dir() {
        return dir;
    }

    public record Result(int exitCode, String output) {
        /** The value of the last {@code key=value} line the script printed for {@code key}. */
        public String fact(String key) {
            String value = null;
            for (String line : output.split("\n")) {
                if (line.startsWith(key + "=")) {
                    value = line.substring(key.length() + 1);
                }
            }
            if (value == null) {
                throw new AssertionError("the script printed no " + key + "=...; it printed:\n" + output);
            }
            return value;
        }
    }

    /** Runs {@code script} with bash as root inside the sandbox; {@code $S} is the sandbox's folder. */
    public Result run(String script, Map<String, String> environment, Duration limit) throws IOException {
        String prelude = String.join("\n",
                "set -u",
                "chmod 755 \"$S\" \"$S/home\" \"$S/data\" \"$S/data/users\"",
                "mount -t overlay overlay -o lowerdir=/etc,upperdir=\"$S/etc-up\",workdir=\"$S/etc-work\" /etc"
                        + " || exit 90",
                "mount --bind \"$S/root\" /root || exit 91",
                "mount --bind \"$S/home\" /home || exit 92",
                "export PATH=\"$S/bin:$PATH\"",
                "");
        Path file = dir.resolve("script-" + System.nanoTime() + ".sh");
        Files.writeString(file, prelude + script + "\n");
        List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--pid",
                "--fork", "--mount-proc", "bash", file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("S", dir.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append("(output lost: ").append(e.getMessage()).append(')');
            }
        });
        reader.start();
        try {
            if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join(5000);
                return new Result(124, output + "\n(still running after " + limit + "; killed)");
            }
            reader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new Result(process.exitValue(), output.toString());
    }
}
