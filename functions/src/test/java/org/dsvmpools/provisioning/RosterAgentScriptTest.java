package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.dsvmpools.testing.SshKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roster agent run against a temporary directory standing in for the share, another for {@code /home}, and
 * stubbed system commands ({@code id}, {@code useradd}, {@code mount}, ...) that log what the agent would run.
 */
class RosterAgentScriptTest {
    private static final String KEY = SshKeys.ed25519();

    @TempDir
    Path dir;

    @BeforeEach
    void stubs() throws Exception {
        Files.createDirectories(dir.resolve("share/.pool"));
        Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(dir.resolve("state"));
        String log = "echo \"$(basename \"$0\") $*\" >> '" + dir.resolve("commands.log") + "'\n";
        // id succeeds for accounts listed in state/accounts; mountpoint for targets listed in state/mounts.
        stub("id", "grep -qx \"$2\" '" + dir.resolve("state/accounts") + "' 2>/dev/null");
        stub("useradd", log + "for a in \"$@\"; do last=\"$a\"; done; echo \"$last\" >> '"
                + dir.resolve("state/accounts") + "'");
        stub("mountpoint", "grep -qx \"$2\" '" + dir.resolve("state/mounts") + "' 2>/dev/null");
        stub("mount", log + "echo \"$4\" >> '" + dir.resolve("state/mounts") + "'");
        for (String command : List.of("groupadd", "usermod", "umount", "pkill", "chown")) {
            stub(command, log);
        }
    }

    private void stub(String name, String body) throws Exception {
        Path file = dir.resolve("bin").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void manifest(String users) throws Exception {
        Files.writeString(dir.resolve("share/.pool/users.json"), "{\"v\":1,\"users\":[" + users + "]}");
    }

    private List<String> run() throws Exception {
        Files.deleteIfExists(dir.resolve("commands.log"));
        Path script = dir.resolve("roster-agent.sh");
        Files.write(script, CloudInit.resource("roster-agent.sh"));
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "dpmlteam", "ml-team")
                .redirectErrorStream(true);
        builder.environment().put("PATH", dir.resolve("bin") + ":" + System.getenv("PATH"));
        builder.environment().put("DSVMPOOLS_SHARE_ROOT", dir.resolve("share").toString());
        builder.environment().put("DSVMPOOLS_HOME_ROOT", dir.resolve("home").toString());
        builder.environment().put("DSVMPOOLS_CREDENTIALS_DIR", "/etc/smbcredentials");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        Path log = dir.resolve("commands.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private String home(String tail) {
        return dir.resolve("home") + tail;
    }

    @Test
    void anActiveUserGetsAnAccountWithTheFixedUidTheirKeysAndOnlyTheirOwnFolderMounted() throws Exception {
        manifest("{\"name\":\"alice\",\"uid\":20001,\"sshPublicKeys\":[\"" + KEY + "\"],\"state\":\"active\"}");

        List<String> commands = run();

        assertThat(commands).contains("groupadd --gid 20001 alice",
                "useradd --uid 20001 --gid 20001 --create-home --home-dir " + home("/alice") + " --shell /bin/bash alice",
                "usermod --expiredate  alice");
        assertThat(commands).anyMatch(c -> c.equals("mount -t cifs //dpmlteam.file.core.windows.net/ml-team/users/alice/notebooks "
                + home("/alice/notebooks/remote") + " -o vers=3.1.1,credentials=/etc/smbcredentials/dpmlteam.cred,"
                + "uid=20001,gid=20001,dir_mode=0700,file_mode=0600,serverino,nofail"));
        assertThat(Files.readString(dir.resolve("home/alice/.ssh/authorized_keys")).trim()).isEqualTo(KEY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("home/alice/.ssh/authorized_keys")))).isEqualTo("rw-------");
    }

    @Test
    void aSecondRunChangesNothing() throws Exception {
        manifest("{\"name\":\"alice\",\"uid\":20001,\"sshPublicKeys\":[\"" + KEY + "\"],\"state\":\"active\"}");
        run();

        List<String> again = run();

        assertThat(again).noneMatch(c -> c.startsWith("useradd") || c.startsWith("mount") || c.startsWith("chown"));
    }

    @Test
    void aRemovedUserIsLockedStoppedAndUnmountedAndNothingIsDeleted() throws Exception {
        manifest("{\"name\":\"alice\",\"uid\":20001,\"sshPublicKeys\":[],\"state\":\"active\"}");
        run();
        manifest("{\"name\":\"alice\",\"uid\":20001,\"sshPublicKeys\":[],\"state\":\"removed\"}");

        List<String> commands = run();

        assertThat(commands).containsExactly("usermod --expiredate 1 alice", "pkill -KILL -u alice",
                "umount " + home("/alice/notebooks/remote"));
        assertThat(commands).noneMatch(c -> c.startsWith("userdel") || c.contains("rm "));
    }

    @Test
    void entriesThatBreakTheRulesAreLeftOut() throws Exception {
        manifest("{\"name\":\"../root\",\"uid\":20002,\"state\":\"active\"},"
                + "{\"name\":\"root\",\"uid\":0,\"state\":\"active\"},"
                + "{\"name\":\"eve\",\"uid\":20003,\"state\":\"active\",\"sshPublicKeys\":[\"ssh-ed25519 AAAA\\nevil\"]},"
                + "{\"name\":\"bob\",\"uid\":20004,\"state\":\"weird\"}");

        List<String> commands = run();

        assertThat(commands).noneMatch(c -> c.contains("root") || c.contains("bob"));
        assertThat(commands).anyMatch(c -> c.startsWith("useradd --uid 20003"));
        Path keys = dir.resolve("home/eve/.ssh/authorized_keys");
        assertThat(!Files.exists(keys) || Files.readString(keys).isBlank()).as("the bad key is dropped").isTrue();
    }

    @Test
    void aManifestCaughtHalfWrittenChangesNothingUntilTheNextRun() throws Exception {
        manifest("{\"name\":\"alice\",\"uid\":20001,\"sshPublicKeys\":[],\"state\":\"active\"}");
        run();
        Files.write(dir.resolve("share/.pool/users.json"), new byte[4096]);

        assertThat(run()).as("no account is locked or unmounted for a file in the middle of a write").isEmpty();
    }
}
