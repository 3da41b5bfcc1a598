package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dsvmpools.kit.SystemClock;
import org.dsvmpools.scaling.UsageReport;
import org.dsvmpools.scaling.UsageReportJson;
import org.dsvmpools.testing.RootSandbox;
import org.dsvmpools.testing.SshKeys;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three VM agents run for real, as root, in a {@link RootSandbox} standing in for a DSVM: real accounts,
 * real links planted by pool users, real (bind) mounts, real processes. Each attack a pool user or a doctored
 * manifest can make is one test. Skipped, saying why, where the machine cannot make the sandbox.
 */
class VmAgentsIT {
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final String K1 = SshKeys.ed25519();
    private static final String K2 = SshKeys.ed25519();
    /** Shell helpers every script starts with: the manifest, a roster entry, one run of the roster agent. */
    private static final String HELPERS = """
            export DSVMPOOLS_SHARE_ROOT="$S/share" DSVMPOOLS_USERS_ROOT="$S/data/users"
            export DSVMPOOLS_ACCOUNTS_ROOT="$S/accounts" DSVMPOOLS_RUN_DIR="$S/run"
            # The sandbox shares the machine's network: the guard is loaded, in a network of its own, by its tests.
            export DSVMPOOLS_IMDS_GUARD_TABLE=""
            manifest() { local IFS=,; printf '{"v":1,"users":[%s]}' "$*" > "$S/share/.pool/users.json"; }
            entry() { printf '{"name":"%s","uid":%s,"state":"%s","sshPublicKeys":["%s"]}' "$1" "$2" "$3" "${4:-$K1}"; }
            folder() { mkdir -p "$S/share/users/$1/notebooks"; }
            roster() {
              bash "$S/roster-agent.sh" dpmlteam pool-data 2> "$S/roster.err"; echo "exit=$?"
              sed 's/^/agent: /' "$S/roster.err"
              echo "said=$(wc -c < "$S/roster.err")"
            }
            as() { local uid; uid="$(id -u "$1")"; shift; setpriv --reuid "$uid" --regid "$uid" --clear-groups "$@"; }
            """;

    /**
     * A stand-in for the metadata service, ARM, JupyterHub's API and users' servers, on the address and port given:
     * tokens at once, every other answer slowly (so calls are in flight while a user looks), and users' servers
     * that answer badly (alice's one byte a second, bob's a list of numbers) beside carol's good one.
     */
    private static final String STAND_IN = """
            import json, sys, time
            from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
            class Handler(BaseHTTPRequestHandler):
                def log_message(self, *args):
                    pass
                def answer(self, code, body, delay=0.0):
                    time.sleep(delay)
                    data = json.dumps(body).encode() if body is not None else b""
                    self.send_response(code)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                def do_GET(self):
                    if "oauth2/token" in self.path:
                        return self.answer(200, {"access_token": "SECRET-imds-token"})
                    if self.path.startswith("/hub/api/users"):
                        return self.answer(200, [{"name": n, "servers": {"": {"ready": True, "url": f"/user/{n}/"}}}
                                                 for n in ("alice", "bob", "carol")])
                    if self.path == "/user/alice/api/kernels":
                        self.send_response(200)
                        self.send_header("Content-Length", "100")
                        self.end_headers()
                        for _ in range(100):
                            self.wfile.write(b" ")
                            self.wfile.flush()
                            time.sleep(1)
                        return
                    if self.path == "/user/bob/api/kernels":
                        return self.answer(200, [1])
                    if self.path == "/user/carol/api/kernels":
                        return self.answer(200, [{"id": "k", "execution_state": "busy",
                                                  "last_activity": "2026-12-01T10:00:00Z"}])
                    return self.answer(404, {})
                def do_POST(self):
                    self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    if "listKeys" in self.path:
                        return self.answer(200, {"keys": [{"value": "k3y"}]}, delay=4)
                    return self.answer(201, None, delay=4)
                def do_DELETE(self):
                    return self.answer(204, None, delay=4)
            ThreadingHTTPServer((sys.argv[1], int(sys.argv[2])), Handler).serve_forever()
            """;

    @TempDir
    Path dir;
    private RootSandbox sandbox;

    @BeforeAll
    static void sandboxAvailable() {
        RootSandbox.unavailable().ifPresent(reason -> Assumptions.abort("skipped: " + reason));
    }

    @BeforeEach
    void vm() throws IOException {
        sandbox = new RootSandbox(dir);
        Files.writeString(dir.resolve("server.py"), STAND_IN);
        for (String script : List.of("roster-agent.sh", "mount-share.sh", "usage-agent.sh", "imds-guard.nft")) {
            Files.write(dir.resolve(script), CloudInit.resource(script));
        }
    }

    private RootSandbox.Result run(String script) throws IOException {
        return run(script, Map.of());
    }

    private RootSandbox.Result run(String script, Map<String, String> environment) throws IOException {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.put("K1", K1);
        all.put("K2", K2);
        RootSandbox.Result result = sandbox.run(HELPERS + script, all, LIMIT);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }

    @Test
    void linksAPoolUserPlantsInTheirHomeAreNeverFollowedAsRoot() throws IOException {
        RootSandbox.Result result = run("""
                folder alice; manifest "$(entry alice 20001 active)"; roster
                install -d -m 700 /root/.ssh; echo root-key > /root/.ssh/authorized_keys
                echo "etc_before=$(stat -c '%u %a' /etc)"
                as alice bash -c 'mkdir -p /home/alice/.ssh && ln -sf /root/.ssh/authorized_keys /home/alice/.ssh/authorized_keys
                                  && rm -rf /home/alice/notebooks && ln -s /etc /home/alice/notebooks'
                manifest "$(entry alice 20001 active "$K2")"; roster
                echo "root_keys=$(cat /root/.ssh/authorized_keys)"
                echo "alice_keys=$(cat /etc/dsvmpools/authorized_keys/alice)"
                echo "etc_after_notebooks=$(stat -c '%u %a' /etc)"
                as alice bash -c 'rm -rf /home/alice/.ssh && ln -s /etc /home/alice/.ssh'
                manifest "$(entry alice 20001 active "$K1")"; roster
                echo "etc_after_ssh=$(stat -c '%u %a' /etc)"
                echo "alice_keys2=$(cat /etc/dsvmpools/authorized_keys/alice)"
                echo "keys_file=$(stat -c '%U %a' /etc/dsvmpools/authorized_keys/alice)"
                """);

        assertThat(result.fact("root_keys")).isEqualTo("root-key");
        assertThat(result.fact("alice_keys")).isEqualTo(K2);
        assertThat(result.fact("etc_after_notebooks")).isEqualTo(result.fact("etc_before"));
        assertThat(result.fact("etc_after_ssh")).isEqualTo(result.fact("etc_before"));
        assertThat(result.fact("alice_keys2")).isEqualTo(K1);
        assertThat(result.fact("keys_file")).isEqualTo("root 644");
    }

    /**
     * The keys the agent writes are the ones a real sshd (Debian's, the same OpenSSH as the DSVM's Ubuntu) takes
     * through the cloud-config's drop-in, and the admin's own keys in their home still work beside them.
     */
    @Test
    void aRealSshdLetsInAnOnboardedUserAndTheAdminAndNoLongerTheUserOnceRemoved() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        RootSandbox.Result result = run("""
                /bin/mount -t tmpfs run /run && mkdir -p /run/sshd
                ssh-keygen -q -A
                printf '%s' "$SSHD_KEYS" > /etc/ssh/sshd_config.d/dsvmpools.conf
                ssh-keygen -q -t ed25519 -N '' -f "$S/alice-key"; ssh-keygen -q -t ed25519 -N '' -f "$S/admin-key"
                useradd --create-home --shell /bin/bash pooladmin
                install -d -o pooladmin -g pooladmin -m 700 /home/pooladmin/.ssh
                install -o pooladmin -g pooladmin -m 600 "$S/admin-key.pub" /home/pooladmin/.ssh/authorized_keys
                folder alice; manifest "$(entry alice 20001 active "$(cat "$S/alice-key.pub")")"; roster
                /usr/sbin/sshd -p "$PORT" -o ListenAddress=127.0.0.1 -o PasswordAuthentication=no -E "$S/sshd.log"
                for i in $(seq 50); do ssh-keyscan -p "$PORT" 127.0.0.1 > /dev/null 2>&1 && break; sleep 0.1; done
                login() { ssh -i "$1" -p "$PORT" -o BatchMode=yes -o StrictHostKeyChecking=no \
                  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR "$2@127.0.0.1" 'id -un; readlink ~/notebooks/remote' 2>&1; }
                echo "alice=$(login "$S/alice-key" alice | tr '\n' ' ')"
                echo "admin=$(login "$S/admin-key" pooladmin | head -1)"
                manifest "$(entry alice 20001 removed "$(cat "$S/alice-key.pub")")"; roster
                echo "alice_after=$(login "$S/alice-key" alice | head -1)"
                echo "sshd_log=$(tr "\\n" " " < "$S/sshd.log")"; pkill sshd; true
                """, Map.of("PORT", String.valueOf(port), "SSHD_KEYS", CloudInit.SSHD_KEYS));

        assertThat(result.fact("alice")).as(result.output()).isEqualTo("alice " + dir.resolve("data/users/alice") + " ");
        assertThat(result.fact("admin")).isEqualTo("pooladmin");
        assertThat(result.fact("alice_after")).contains("Permission denied");
    }

    @Test
    void namesTheImageHasAreRefusedAndEveryoneElseIsStillOnboarded() throws IOException {
        RootSandbox.Result result = run("""
                useradd --create-home --shell /bin/bash pooladmin
                install -d -o pooladmin -m 700 /home/pooladmin/.ssh; echo admin-key > /home/pooladmin/.ssh/authorized_keys
                mkdir -p "$S/workspace" && /bin/mount --bind "$S/share" "$S/workspace"
                install -d -o pooladmin /home/pooladmin/notebooks; ln -s "$S/workspace" /home/pooladmin/notebooks/remote
                folder pooladmin; folder video; folder walter
                manifest "$(entry pooladmin 20001 active)" "$(entry video 20002 active)" "$(entry walter 20003 active)"
                roster
                echo "admin_keys=$(cat /home/pooladmin/.ssh/authorized_keys)"
                echo "admin_key_file=$(ls /etc/dsvmpools/authorized_keys/pooladmin 2>&1 >/dev/null | wc -l)"
                echo "video_user=$(getent passwd video | wc -l)"
                echo "walter=$(id -u walter) $(mountpoint -q "$S/data/users/walter" && echo mounted)"
                manifest "$(entry pooladmin 20001 removed)" "$(entry root 20004 removed)" "$(entry walter 20003 active)"
                roster
                echo "admin_expires=[$(getent shadow pooladmin | cut -d: -f8)]"
                echo "root_expires=[$(getent shadow root | cut -d: -f8)]"
                echo "workspace=$(mountpoint -q "$S/workspace" && echo mounted)"
                """);

        assertThat(result.output()).contains("exit=2").contains("pooladmin: a user of that name exists")
                .contains("video: a group of that name exists");
        assertThat(result.fact("admin_keys")).isEqualTo("admin-key");
        assertThat(result.fact("admin_key_file")).isEqualTo("1");
        assertThat(result.fact("video_user")).isEqualTo("0");
        assertThat(result.fact("walter")).isEqualTo("20003 mounted");
        assertThat(result.fact("admin_expires")).isEqualTo("[]");
        assertThat(result.fact("root_expires")).isEqualTo("[]");
        assertThat(result.fact("workspace")).isEqualTo("mounted");
    }

    @Test
    void aBusyFolderOfOneRemovedUserHoldsUpNobodyElseAndARunThatChangesNothingSaysNothing() throws IOException {
        RootSandbox.Result result = run("""
                folder alice; folder bob
                manifest "$(entry alice 20001 active)"; roster
                (cd "$S/data/users/alice" && exec sleep 600) &
                sleep 0.2
                manifest "$(entry alice 20001 removed)" "$(entry bob 20002 active)"; roster
                echo "bob=$(id -u bob) $(mountpoint -q "$S/data/users/bob" && echo mounted)"
                echo "alice_expires=$(getent shadow alice | cut -d: -f8)"
                kill %1; wait
                roster
                echo "alice_mounted=$(mountpoint -q "$S/data/users/alice" && echo yes || echo no)"
                roster
                exec 8> "$S/run/locks/roster.lock"; flock 8
                roster
                """);

        String[] runs = result.output().split("exit=");
        assertThat(runs[2]).as("alice's folder busy, bob onboarded all the same").startsWith("1")
                .contains("alice: folder still in use");
        assertThat(result.fact("bob")).isEqualTo("20002 mounted");
        assertThat(result.fact("alice_expires")).isEqualTo("1");
        assertThat(runs[3]).as("once free, unmounted").startsWith("0");
        assertThat(result.fact("alice_mounted")).isEqualTo("no");
        assertThat(runs[4]).as("nothing to change: nothing said").startsWith("0\nsaid=0");
        assertThat(runs[5]).as("a run while another holds the lock").startsWith("0").contains("another run");
    }

    @Test
    void aManifestCaughtHalfWrittenChangesNothingUntilTheNextRunAndAUidOutsideThePoolsRangeIsLeftOut()
            throws IOException {
        RootSandbox.Result result = run("""
                folder alice; manifest "$(entry alice 20001 active)"; roster
                head -c 64 /dev/zero > "$S/share/.pool/users.json"; roster
                echo "alice_keys=$(cat /etc/dsvmpools/authorized_keys/alice)"
                manifest "$(entry alice 20001 removed)" "$(entry mallory 1000 active)"; roster
                echo "mallory=$(getent passwd mallory | wc -l) alice=$(getent shadow alice | cut -d: -f8)"
                """);

        String[] runs = result.output().split("exit=");
        assertThat(runs[2]).startsWith("0").contains("manifest is being written");
        assertThat(result.fact("alice_keys")).isEqualTo(K1);
        assertThat(result.output()).contains("mallory: uid 1000 is outside 20001-59999");
        assertThat(result.fact("mallory")).isEqualTo("0 alice=1");
    }

    @Test
    void anAccountTheManifestNoLongerListsIsOffboardedSoRemovedEntriesCanLeaveIt() throws IOException {
        RootSandbox.Result result = run("""
                folder ann; folder ben
                manifest "$(entry ann 20001 active)" "$(entry ben 20002 active)"; roster
                manifest "$(entry ben 20002 active)"; roster
                echo "ann=$(getent shadow ann | cut -d: -f8) ben=[$(getent shadow ben | cut -d: -f8)]"
                echo "ann_mounted=$(mountpoint -q "$S/data/users/ann" && echo yes || echo no)"
                manifest '{"v":1,"users"'; roster
                echo "ben_after_broken=[$(getent shadow ben | cut -d: -f8)]"
                """);

        assertThat(result.fact("ann")).isEqualTo("1 ben=[]");
        assertThat(result.fact("ann_mounted")).isEqualTo("no");
        assertThat(result.fact("ben_after_broken")).as("a manifest that does not parse offboards nobody")
                .isEqualTo("[]");
    }

    @Test
    void theShareIsMountedOnceTheKeysRoleArrivesAndAgainAfterARebootWithARotatedKey() throws IOException {
        RootSandbox.Result result = run("""
                useradd --create-home pooladmin
                cat > "$S/bin/curl" <<'CURL'
                #!/bin/bash
                case "$*" in
                  *oauth2/token*) printf '{"access_token":"t"}' ;;
                  *listKeys*) [ -e "$S/role" ] || exit 22; printf '{"keys":[{"value":"%s"}]}' "$(cat "$S/role")" ;;
                esac
                CURL
                chmod +x "$S/bin/curl"; mkdir -p "$S/ws"; touch "$S/fstab"
                export DSVMPOOLS_SHARE_ROOT="$S/ws" DSVMPOOLS_CREDENTIALS_DIR="$S/cred" DSVMPOOLS_FSTAB="$S/fstab"
                share() { local out; out="$(bash "$S/mount-share.sh" dpmlteam pool-data sub rg pooladmin 2>&1)"; echo "exit=$?"; echo "$out"; }
                share
                echo "cred_before=$(ls "$S/cred" 2>/dev/null | wc -l) $(mountpoint -q "$S/ws" && echo mounted)"
                echo k3y > "$S/role"
                share
                echo "mounted=$(mountpoint -q "$S/ws" && echo yes) $(grep -c password=k3y "$S/cred/dpmlteam.cred")"
                echo "fstab=$(grep -c " $S/ws cifs " "$S/fstab")"
                share
                umount "$S/ws"; echo rotated > "$S/role"
                share
                echo "after_reboot=$(mountpoint -q "$S/ws" && echo yes) $(grep -c password=rotated "$S/cred/dpmlteam.cred")"
                echo "fstab_after=$(grep -c " $S/ws cifs " "$S/fstab")"
                """);

        String[] runs = result.output().split("exit=");
        assertThat(runs[1]).as("no role yet: the run fails and says why").doesNotStartWith("0")
                .contains("next run tries again");
        assertThat(result.fact("cred_before")).isEqualTo("0 ");
        assertThat(result.fact("mounted")).isEqualTo("yes 1");
        assertThat(result.fact("fstab")).isEqualTo("1");
        assertThat(runs[3]).as("mounted: a run does nothing").startsWith("0\n");
        assertThat(result.fact("after_reboot")).isEqualTo("yes 1");
        assertThat(result.fact("fstab_after")).isEqualTo("1");
    }

    @Test
    void aHungEndpointCostsTheUsageAgentOneBoundedRunAndTakesTheInstanceOutOfRotation() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket hung = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(hung.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            String url = "http://127.0.0.1:" + hung.getLocalPort();
            Files.createDirectories(dir.resolve("run/health"));
            Files.createFile(dir.resolve("run/health/healthy"));
            Instant started = SystemClock.now();

            RootSandbox.Result result = sandbox.run("bash \"$S/usage-agent.sh\" ml-team " + url + "/usage-reports;"
                    + " echo \"exit=$?\"", Map.of("DSVMPOOLS_IMDS", url, "DSVMPOOLS_HUB_HEALTH", url + "/hub/health",
                    "DSVMPOOLS_STATE_DIR", dir.resolve("run").toString(), "DSVMPOOLS_CURL_MAX_TIME", "2"),
                    Duration.ofSeconds(90));

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("exit=");
            assertThat(Duration.between(started, SystemClock.now())).as("bounded by the calls' timeouts")
                    .isLessThan(Duration.ofSeconds(60));
            assertThat(dir.resolve("run/health/healthy")).doesNotExist();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void busyProcessesAndTmuxCountAsActivityAndAnIdleUserDoesNot() throws IOException {
        RootSandbox.Result result = run(USAGE_RUN + """
                for u in dave:20004 erin:20005 frank:20006; do
                  groupadd -g "${u#*:}" "${u%:*}"; useradd -u "${u#*:}" -g "${u#*:}" -m "${u%:*}"
                done
                as dave bash -c 'while :; do :; done' &
                as erin env HOME=/home/erin TERM=xterm tmux -S /tmp/erin.sock new-session -d 'sleep 600'
                as frank sleep 600 &
                report > /dev/null
                sleep 2
                report
                kill $(jobs -p) 2>/dev/null; tmux -S /tmp/erin.sock kill-server 2>/dev/null; true
                """);

        UsageReport report = UsageReportJson.read(result.fact("report"), SystemClock.now()).report();
        assertThat(report.sessions()).extracting(UsageReport.Session::user)
                .as(result.output()).contains("dave", "erin").doesNotContain("frank");
    }

    private static String freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return String.valueOf(free.getLocalPort());
        }
    }

    /** The usage agent's report from a run, as the control plane reads it. */
    private static final String USAGE_RUN = """
            cat > "$S/bin/curl" <<'CURL'
            #!/bin/bash
            case "$*" in
              *compute/name*) printf 'vmss_4' ;;
              *oauth2/token*) printf '{"access_token":"t"}' ;;
              *--data*) for a in "$@"; do case "$a" in '<QueueMessage>'*) printf '%s' "$a" > "$S/sent.xml" ;; esac; done ;;
              *) exit 22 ;;
            esac
            CURL
            chmod +x "$S/bin/curl"
            export DSVMPOOLS_STATE_DIR="$S/state" DSVMPOOLS_HUB_TOKEN_FILE="$S/none"
            report() {
              bash "$S/usage-agent.sh" ml-team https://q.example/usage-reports
              sed -e 's/<QueueMessage><MessageText>//' -e 's#</MessageText></QueueMessage>##' "$S/sent.xml" \\
                | base64 -d | sed 's/^/report=/'; echo
            }
            """;

    /**
     * Through the real sshd: an {@code ssh -N} tunnel (titled "sshd: carol", no @) is carol's session; a process
     * that only takes an sshd title, with no connection, is nobody's; and a user whose CPU work runs in short child
     * processes is busy although no process of theirs lives from one run to the next.
     */
    @Test
    void aTunnelThroughTheRealSshdAndALoopOfShortJobsAreActivityAndATitleAloneIsNot() throws IOException {
        RootSandbox.Result result = run(USAGE_RUN + """
                /bin/mount -t tmpfs run /run && mkdir -p /run/sshd
                ssh-keygen -q -A
                printf '%s' "$SSHD_KEYS" > /etc/ssh/sshd_config.d/dsvmpools.conf
                ssh-keygen -q -t ed25519 -N '' -f "$S/carol-key"
                folder carol; folder gina; folder mal
                manifest "$(entry carol 20003 active "$(cat "$S/carol-key.pub")")" "$(entry gina 20004 active)" \\
                  "$(entry mal 20005 active)"
                roster
                /usr/sbin/sshd -p "$PORT" -o ListenAddress=127.0.0.1 -o PasswordAuthentication=no -E "$S/sshd.log"
                for i in $(seq 50); do ssh-keyscan -p "$PORT" 127.0.0.1 > /dev/null 2>&1 && break; sleep 0.1; done
                ssh -N -i "$S/carol-key" -p "$PORT" -o BatchMode=yes -o StrictHostKeyChecking=no \\
                  -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR carol@127.0.0.1 &
                for i in $(seq 100); do pgrep -u carol -f '^sshd' > /dev/null && break; sleep 0.1; done
                echo "title=$(ps -o args= -u carol | grep '^sshd' | head -1)"
                as mal bash -c 'exec -a "sshd: mal@notty" sleep 600' &
                as gina bash -c 'while :; do timeout 0.3 bash -c "while :; do :; done"; done' &
                report > /dev/null
                sleep 3
                report
                kill $(jobs -p) 2>/dev/null; pkill sshd; true
                """, Map.of("PORT", freePort(), "SSHD_KEYS", CloudInit.SSHD_KEYS));

        assertThat(result.fact("title")).as("OpenSSH 9.2's title for a -N connection").isEqualTo("sshd: carol");
        UsageReport report = UsageReportJson.read(result.fact("report"), SystemClock.now()).report();
        assertThat(report.sessions()).as(result.output()).extracting(UsageReport.Session::user)
                .contains("carol", "gina").doesNotContain("mal");
    }

    /**
     * One user's server that sends a byte a second, and another that answers a list of numbers, cost those users'
     * kernels only: the listing has one deadline for the whole call, and carol's busy kernel is still reported.
     */
    @Test
    void aUsersServerThatAnswersSlowlyOrInAnotherShapeCostsThatUsersKernelsOnly() throws IOException {
        RootSandbox.Result result = run("""
                python3 "$S/server.py" 127.0.0.1 "$PORT" & sleep 1
                echo t0k3n > "$S/hub-token"
                export DSVMPOOLS_HUB_API="http://127.0.0.1:$PORT/hub/api" DSVMPOOLS_HUB_URL="http://127.0.0.1:$PORT"
                export DSVMPOOLS_HUB_TOKEN_FILE="$S/hub-token" DSVMPOOLS_CURL_MAX_TIME=4
                started=$(date +%s)
                echo "kernels=$(source "$S/usage-agent.sh" ml-team http://127.0.0.1:9; kernels_json 2> "$S/k.err")"
                echo "took=$(( $(date +%s) - started ))"
                echo "said=$(tr '\\n' ' ' < "$S/k.err")"
                kill %1; true
                """, Map.of("PORT", freePort()));

        assertThat(result.fact("kernels")).as(result.output())
                .isEqualTo("[{\"user\":\"carol\",\"busy\":true,\"lastActivity\":\"2026-12-01T10:00:00Z\"}]");
        assertThat(Integer.parseInt(result.fact("took"))).as("one deadline, not one per read").isLessThan(10);
        assertThat(result.fact("said")).contains("kernels of alice", "kernels of bob");
    }

    /**
     * While the agents' calls are in flight, a pool user reading every process's command line finds no token: the
     * roster agent's hub token, the usage agent's bearer token and the ARM token the mount script lists keys with.
     */
    @Test
    void noTokenIsOnAnyCommandLineWhileTheAgentsCallsAreInFlight() throws IOException {
        RootSandbox.Result result = run("""
                python3 "$S/server.py" 127.0.0.1 "$PORT" & sleep 1
                folder alice; folder bob; manifest "$(entry alice 20001 active)" "$(entry bob 20002 active)"; roster
                echo hub-secret-t0k3n > "$S/roster-token"
                useradd -m pooladmin; mkdir -p "$S/ws"; touch "$S/fstab"
                base="http://127.0.0.1:$PORT"
                manifest "$(entry alice 20001 active)" "$(entry bob 20002 removed)"
                DSVMPOOLS_HUB_API="$base/hub/api" DSVMPOOLS_HUB_ROSTER_TOKEN_FILE="$S/roster-token" roster > /dev/null &
                DSVMPOOLS_IMDS="$base" DSVMPOOLS_SHARE_ROOT="$S/ws" DSVMPOOLS_CREDENTIALS_DIR="$S/cred" \\
                  DSVMPOOLS_FSTAB="$S/fstab" bash "$S/mount-share.sh" dpmlteam pool-data sub rg pooladmin "$base" \\
                  > /dev/null 2>&1 &
                (DSVMPOOLS_IMDS="$base" DSVMPOOLS_STATE_DIR="$S/state" \\
                  DSVMPOOLS_HUB_TOKEN_FILE="$S/none" DSVMPOOLS_HUB_HEALTH="$base/h" \\
                  bash "$S/usage-agent.sh" ml-team "$base/api/usage" api://usage > /dev/null 2>&1) &
                sleep 2
                echo "in_flight=$(pgrep -c -f 'curl.*127.0.0.1')"
                echo "seen=$(as alice bash -c 'cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\\0" " "' \\
                  | grep -o -e 'SECRET-imds-tok[e]n' -e 'hub-secret-t0k[3]n' | sort -u | tr '\\n' ' ')"
                wait %2 %3 %4; kill %1; true
                """, Map.of("PORT", freePort()));

        assertThat(Integer.parseInt(result.fact("in_flight"))).as(result.output()).isGreaterThanOrEqualTo(3);
        assertThat(result.fact("seen")).isEmpty();
    }

    /** A pool user can neither open the roster's lock nor stop a run by holding the old, world-readable one. */
    @Test
    void aPoolUserCannotHoldTheRosterLock() throws IOException {
        RootSandbox.Result result = run("""
                folder alice; folder bob; manifest "$(entry alice 20001 active)"; roster
                echo "locks=$(stat -c '%U %a' "$S/run/locks")"
                echo "open=$(as alice flock -n "$S/run/locks/roster.lock" true 2>&1 && echo held || echo refused)"
                touch "$S/run/roster.lock"; chmod 644 "$S/run/roster.lock"
                as alice flock "$S/run/roster.lock" sleep 30 &
                sleep 0.3
                manifest "$(entry alice 20001 removed)" "$(entry bob 20002 active)"; roster
                echo "alice=$(getent shadow alice | cut -d: -f8) bob=$(id -u bob)"
                kill %1; true
                """);

        assertThat(result.fact("locks")).isEqualTo("root 700");
        assertThat(result.fact("open")).contains("Permission denied").doesNotContain("held");
        assertThat(result.fact("alice")).as(result.output()).isEqualTo("1 bob=20002");
    }

    /**
     * The manifest is checked whole: another version or shape changes nothing and keeps the instance in rotation;
     * an entry of the wrong shape is skipped and the others go on; a uid that differs from the account's is refused.
     */
    @Test
    void aManifestOfTheWrongShapeChangesNothingAndABadEntryOnlyItself() throws IOException {
        RootSandbox.Result result = run("""
                folder ann; folder ben; folder cy
                manifest "$(entry ann 20001 active)" "$(entry ben 20002 active)"; roster
                for doc in '{"v":2,"members":[]}' '{"v":1,"users":null}' '[]' '{"v":1}' '{"users":[]}'; do
                  printf '%s' "$doc" > "$S/share/.pool/users.json"; touch -d '-1 min' "$S/run/roster-ok"; roster
                  echo "doc=$doc ann=[$(getent shadow ann | cut -d: -f8)] ok=$(find "$S/run/roster-ok" -mmin -5 | wc -l)"
                done
                manifest '{"name":7}' 'null' '[1]' "$(entry ben 20009 active)" "$(entry cy 20003 active)" \\
                  '{"name":"ann","uid":20001,"state":"active","sshPublicKeys":"nope"}'
                roster
                echo "after_bad_entries=ann:[$(getent shadow ann | cut -d: -f8)] cy:$(id -u cy) ok=$(ls "$S/run/roster-ok" | wc -l)"
                """);

        assertThat(result.output().lines().filter(l -> l.startsWith("doc=")))
                .as(result.output()).hasSize(5).allMatch(l -> l.endsWith("ann=[] ok=1"));
        assertThat(result.output()).contains("is not version 1 with a list of users")
                .contains("7: breaks the naming rules; skipped").contains("entry None is not an object; skipped").contains("ben: uid 20009 differs from the account's 20002; refused")
                .contains("ann: sshPublicKeys is not a list of strings; skipped")
                .contains("accounts it does not list are left as they are");
        assertThat(result.fact("after_bad_entries")).isEqualTo("ann:[] cy:20003 ok=1");
    }

    /**
     * The metadata service for root only, for real: the cloud-config's rules loaded by Debian's nft in a network of
     * the sandbox's own, a stand-in metadata service on 169.254.169.254. Root (the agents, the hub, the guest agent)
     * still gets a token; a pool user's process does not, over curl or Python; loading the rules twice (a reboot,
     * a second cloud-init run) leaves one table. Without the rules the roster agent makes no account.
     */
    @Test
    void theMetadataServiceAnswersRootOnlyAndNoAccountIsMadeWithoutTheGuard() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "nftables is not installed (.ci/run installs it)");
        RootSandbox.Result result = run("""
                folder alice; folder bob; manifest "$(entry alice 20001 active)"
                export -f roster as
                unshare --net bash -s <<'NET'
                set -u
                ip link set lo up && ip addr add 169.254.169.254/32 dev lo
                python3 "$S/server.py" 169.254.169.254 80 & sleep 1
                token() { curl -s -m 3 -H Metadata:true 'http://169.254.169.254/metadata/identity/oauth2/token?resource=x'; }
                export DSVMPOOLS_IMDS_GUARD_TABLE=dsvmpools_imds
                roster
                echo "without_guard=$(getent passwd alice | wc -l) ok=$(ls "$S/run/roster-ok" 2>/dev/null | wc -l)"
                useradd -u 20100 -m eve
                echo "eve_before=$(as eve bash -c "$(declare -f token); token")"
                nft -f "$S/imds-guard.nft" && nft -f "$S/imds-guard.nft"
                echo "tables=$(nft list tables | grep -c dsvmpools_imds)"
                echo "root=$(token)"
                echo "eve=$(as eve bash -c "$(declare -f token); token"; echo " curl-exit=$?")"
                echo "eve_python=$(as eve python3 -c 'import urllib.request as u
                try: print(u.urlopen("http://169.254.169.254/metadata/identity/oauth2/token", timeout=3).read())
                except OSError as e: print("refused", type(e).__name__)')"
                roster
                echo "with_guard=$(getent passwd alice | wc -l) ok=$(ls "$S/run/roster-ok" | wc -l)"
                kill %1; true
                NET
                """);

        assertThat(result.fact("without_guard")).as(result.output()).isEqualTo("0 ok=0");
        assertThat(result.output()).contains("metadata service guard (nft table inet dsvmpools_imds) is not loaded");
        assertThat(result.fact("eve_before")).as("the finding: any user took the token").contains("SECRET-imds-token");
        assertThat(result.fact("tables")).isEqualTo("1");
        assertThat(result.fact("root")).contains("SECRET-imds-token");
        assertThat(result.fact("eve")).doesNotContain("SECRET").contains("curl-exit=7");
        assertThat(result.fact("eve_python")).startsWith("refused");
        assertThat(result.fact("with_guard")).isEqualTo("1 ok=1");
    }
}
