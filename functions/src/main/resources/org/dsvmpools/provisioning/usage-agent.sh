#!/bin/bash
# Reports who works on this instance to the dsvm-pools control plane; a systemd timer runs it every minute.
# Sessions, per user, from every way of working:
# - logins from `who -u` (terminals, SSH shells), with the idle time `who` shows as their last activity;
# - established SSH connections without a login: `ssh -N` tunnels, VS Code Remote-SSH, scp/sftp: the user's
#   per-connection sshd process ("sshd: <user>", "sshd: <user>@notty", "sshd-session: ..." from OpenSSH 9.8)
#   holding a TCP socket the kernel's table shows established, for as long as the connection stands;
# - processes using CPU: a user whose processes used more than 5% of one CPU since the last run (a nohup job,
#   a tmux job, a training run, a loop of short jobs) is busy now: the ticks of their live processes and of the
#   children those have waited for (cutime, cstime) from /proc, and their user slice's cpu.stat where systemd
#   made one, so work done in processes that ended between two runs counts too;
# - tmux and screen servers: a session, active as of the user's last CPU use (or the server's start), so a
#   forgotten idle tmux does not keep an instance up forever.
# Kernels: from JupyterHub's API and each user's server, with the agent's own hub token (a root-only file the
# hub's configuration makes at its start); without one, none are reported.
# Parsing runs with LC_ALL=C.UTF-8: `who` prints its idle column by the locale.
# Last activity: the newest seen since boot, kept in /run (cleared at boot), so the scaler knows how long an
# instance everybody has left has been idle.
# The report goes to the control plane, authenticated with this instance's managed identity: no shared secret is
# on the VM, and no secret is in this script or its arguments. With an AUDIENCE, it is POSTed over HTTPS with the
# identity's token for that audience, and the control plane accepts it only from this pool's instances; without
# one, it goes to the usage-reports queue (where any pool's instance could write any pool's report).
#
# Health: the load balancer probes the file this script keeps in the health directory. It is there while
# JupyterHub answers and the scaler has not drained the instance. A drain is the instance's user data
# ({"dsvmpools":{"drainedAt":"..."}}), read from the metadata service; one older than the boot is stale.
#
# Usage: usage-agent.sh POOL QUEUE_URL
#        usage-agent.sh POOL REPORT_URL AUDIENCE
set -euo pipefail
export LC_ALL=C.UTF-8

pool="$1"
target="$2"
audience="${3:-}"
imds="${DSVMPOOLS_IMDS:-http://169.254.169.254}"
hub_api="${DSVMPOOLS_HUB_API:-http://127.0.0.1:8081/hub/api}"
hub_token_file="${DSVMPOOLS_HUB_TOKEN_FILE:-/etc/dsvmpools/jupyterhub-token}"
hub_url="${DSVMPOOLS_HUB_URL:-https://127.0.0.1:8000}"
hub_health="${DSVMPOOLS_HUB_HEALTH:-${hub_url}/hub/health}"
state_dir="${DSVMPOOLS_STATE_DIR:-/run/dsvmpools}"
proc="${DSVMPOOLS_PROC:-/proc}"
share_root="${DSVMPOOLS_SHARE_ROOT:-/data/workspace}"
run_dir="${DSVMPOOLS_RUN_DIR:-/run/dsvmpools}"
# Every call is bounded: a hung IMDS, JupyterHub or queue costs one run, never the timer.
curl_opts=(-sf --connect-timeout 3 --max-time "${DSVMPOOLS_CURL_MAX_TIME:-10}")

# A Uniform scale set names its instances <scale set>_<instance id>.
instance_id() {
  local name
  name="$(curl "${curl_opts[@]}" -H Metadata:true "${imds}/metadata/instance/compute/name?api-version=2021-02-01&format=text")"
  printf '%s' "${name##*_}"
}

iso_seconds_ago() {
  date -u -d "@$(( $(date -u +%s) - $1 ))" +%Y-%m-%dT%H:%M:%SZ
}

# `who -u` prints the idle time as "." (active in the last minute), "HH:MM", or "old" (over a day).
idle_seconds() {
  case "$1" in
    .) printf '0' ;;
    old) printf '86400' ;;
    *:*) printf '%s' $(( 10#${1%%:*} * 3600 + 10#${1##*:} * 60 )) ;;
    *) return 1 ;;
  esac
}

# The login date and time `who` prints are the VM's local time: read in the local zone, then written in UTC.
sessions_json() {
  local first=1 user day time idle seconds since
  printf '['
  while read -r user _ day time idle _; do
    seconds="$(idle_seconds "$idle")" || continue
    [[ "$user" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || continue
    since="$(date -d "$day $time" +%s 2>/dev/null)" && since="$(date -u -d "@$since" +%Y-%m-%dT%H:%M:%SZ)" \
      || since=""
    [ $first -eq 1 ] || printf ','
    first=0
    printf '{"user":"%s","lastActivity":"%s"%s}' "$user" "$(iso_seconds_ago "$seconds")" \
      "${since:+,\"since\":\"$since\"}"
  done <<< "$who_output"
  printf ']'
}

# Busy or idle by the Jupyter API's execution state: a kernel computing silently is busy. The hub lists the
# users with a running server (its API, with the usage agent's own token: list:users, read:servers), and each
# server's kernels are read through the hub's proxy (access:servers), on loopback, where the hub's certificate is
# its own self-signed one. Without a token (no hub, or not started yet), none are reported.
# A user's server is theirs to program: each listing runs on its own, within one deadline for the whole call
# (a server that sends a byte every few seconds never resets it) and a size cap, and an answer of any shape
# costs that user's kernels only. Whatever is not in by the deadline is left out, and the report goes.
kernels_json() {
  if [ ! -r "$hub_token_file" ]; then
    printf '[]'
    return
  fi
  python3 - "$hub_api" "$hub_url" "$hub_token_file" "${DSVMPOOLS_CURL_MAX_TIME:-10}" <<'PY' || printf '[]'
import concurrent.futures, json, os, ssl, sys, time, urllib.parse, urllib.request
api, base, token_file, deadline = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"), sys.argv[3], float(sys.argv[4])
MAX_BYTES = 1 << 20
ends = time.monotonic() + deadline
with open(token_file) as f:
    token = f.read().strip()
loopback_tls = ssl.create_default_context()
loopback_tls.check_hostname = False
loopback_tls.verify_mode = ssl.CERT_NONE


def get(url):
    request = urllib.request.Request(url, headers={"Authorization": "token " + token})
    with urllib.request.urlopen(request, timeout=max(0.1, ends - time.monotonic()), context=loopback_tls) as response:
        body = b""
        while len(body) <= MAX_BYTES and time.monotonic() < ends:
            chunk = response.read1(65536)
            if not chunk:
                return json.loads(body)
            body += chunk
        raise ValueError("over 1 MiB or past the deadline")


def kernels_of(name, server):
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    listed = get(base + urllib.parse.quote(server["url"]) + "api/kernels")
    if not isinstance(listed, list) or not all(isinstance(k, dict) for k in listed):
        raise ValueError("the answer is not a list of kernels")
    return [{"user": name, "busy": k.get("execution_state") == "busy",
             "lastActivity": k.get("last_activity") if isinstance(k.get("last_activity"), str) else now}
            for k in listed]


def finish(kernels):
    sys.stdout.write(json.dumps(kernels, separators=(",", ":")) + "\n")
    sys.stdout.flush()
    os._exit(0)  # a listing still stuck in a read is abandoned, not waited for


try:
    users = get(api + "/users?state=active")
except (OSError, ValueError) as e:
    print(f"usage-agent: the hub's users: {e}", file=sys.stderr)
    finish([])
servers = [(u["name"], s) for u in users if isinstance(u, dict) and isinstance(u.get("name"), str)
           and isinstance(u.get("servers"), dict)
           for s in u["servers"].values() if isinstance(s, dict) and s.get("ready")
           and str(s.get("url", "")).startswith("/")] if isinstance(users, list) else []
kernels = []
pool = concurrent.futures.ThreadPoolExecutor(max_workers=8)
jobs = {pool.submit(kernels_of, name, server): name for name, server in servers}
done, late = concurrent.futures.wait(jobs, timeout=max(0, ends - time.monotonic()))
for job in done:
    try:
        kernels.extend(job.result())
    except Exception as e:  # one user's answer, whatever it is, costs that user only
        print(f"usage-agent: kernels of {jobs[job]}: {e}", file=sys.stderr)
for job in late:
    print(f"usage-agent: kernels of {jobs[job]}: no answer within {deadline:g} s", file=sys.stderr)
finish(sorted(kernels, key=lambda k: k["user"]))
PY
}

cpu_percent() {
  local a b
  read -r -a a < <(grep '^cpu ' /proc/stat)
  sleep 1
  read -r -a b < <(grep '^cpu ' /proc/stat)
  local idle=$(( b[4] - a[4] )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do
    total=$(( total + b[i] - a[i] ))
  done
  [ "$total" -gt 0 ] || { printf '0'; return; }
  printf '%s' $(( 100 * (total - idle) / total ))
}

# The newest activity since boot, in epoch seconds: the sessions' now, or what an earlier run kept.
remember_last_active() {
  local now kept newest idle seconds
  now="$(date -u +%s)"
  kept="$(cat "$state_dir/last-active" 2>/dev/null || printf '0')"
  newest="$kept"
  while read -r _ _ _ _ idle _; do
    seconds="$(idle_seconds "$idle")" || continue
    [ $(( now - seconds )) -le "$newest" ] || newest=$(( now - seconds ))
  done <<< "$who_output"
  mkdir -p "$state_dir"
  [ "$newest" -eq "$kept" ] || printf '%s' "$newest" > "$state_dir/last-active"
  [ "$newest" -eq 0 ] || date -u -d "@$newest" +%Y-%m-%dT%H:%M:%SZ
}

drained() {
  local data drained_at boot
  data="$(curl "${curl_opts[@]}" -H Metadata:true "${imds}/metadata/instance/compute/userData?api-version=2021-01-01&format=text" \
    | base64 -d 2>/dev/null)" || return 1
  drained_at="$(printf '%s' "$data" | sed -n 's/.*"drainedAt" *: *"\([^"]*\)".*/\1/p')"
  [ -n "$drained_at" ] || return 1
  boot="$(awk '/^btime/ {print $2}' "$proc/stat")"
  [ "$(date -u -d "$drained_at" +%s)" -gt "$boot" ]
}

# The share mounted, and the roster agent has applied the manifest within the last five minutes: without both,
# users would land on an instance without their accounts or files.
share_in_place() {
  mountpoint -q "$share_root" && [ -n "$(find "$run_dir/roster-ok" -mmin -5 2>/dev/null)" ]
}

# Sessions from processes: SSH connections, CPU use and tmux/screen servers, as JSON objects separated by commas.
process_sessions() {
  python3 - "$proc" "$state_dir/cpu.json" "$(date -u +%s)" "${DSVMPOOLS_CGROUP_ROOT:-/sys/fs/cgroup}" <<'PY'
import json, os, pwd, re, sys
proc, state_file, now, cgroups = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
tick = os.sysconf("SC_CLK_TCK")
try:
    with open(state_file) as f:
        kept = json.load(f)
except (OSError, ValueError):
    kept = {}
boot = 0
with open(os.path.join(proc, "stat")) as f:
    for line in f:
        if line.startswith("btime "):
            boot = int(line.split()[1])


def established_sockets():
    """Inodes of the kernel's established TCP sockets (state 01 in /proc/net/tcp and tcp6)."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            with open(os.path.join(proc, "net", table)) as f:
                next(f, None)
                for line in f:
                    fields = line.split()
                    if len(fields) > 9 and fields[3] == "01":
                        inodes.add(fields[9])
        except OSError:
            pass
    return inodes


def holds_socket(pid, inodes):
    try:
        for fd in os.listdir(os.path.join(proc, pid, "fd")):
            link = os.readlink(os.path.join(proc, pid, "fd", fd))
            if link.startswith("socket:[") and link[8:-1] in inodes:
                return True
    except OSError:
        pass
    return False


def slice_usec(uid):
    """CPU time of the user's slice, children that ended included; None where systemd made none."""
    try:
        with open(os.path.join(cgroups, "user.slice", f"user-{uid}.slice", "cpu.stat")) as f:
            return next(int(l.split()[1]) for l in f if l.startswith("usage_usec "))
    except (OSError, StopIteration, ValueError, IndexError):
        return None


established = established_sockets()
ticks, ssh, multiplexers, uids = {}, set(), {}, {}
for pid in os.listdir(proc):
    if not pid.isdigit():
        continue
    try:
        with open(os.path.join(proc, pid, "status")) as f:
            uid = next(int(l.split()[1]) for l in f if l.startswith("Uid:"))
        with open(os.path.join(proc, pid, "stat")) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(os.path.join(proc, pid, "cmdline"), "rb") as f:
            cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
    except (OSError, StopIteration, IndexError, ValueError):
        continue
    if uid < 1000 or uid == 65534:
        continue
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        continue
    if not re.fullmatch(r"[a-z_][a-z0-9_-]{0,31}", user):
        continue  # the control plane refuses a report naming one, and such a name is none of the pool's
    uids[user] = uid
    # utime, stime, and cutime, cstime: the children this process has waited for, so short jobs count.
    ticks[user] = ticks.get(user, 0) + sum(int(fields[i]) for i in (11, 12, 13, 14))
    # A connection's own sshd process: titled for the user (with @tty or @notty for a session, bare for -N), and
    # holding a connection the kernel shows established; a title alone is anyone's to set.
    if re.fullmatch(r"sshd(-session)?: " + re.escape(user) + r"(@\S+)?", cmdline) and holds_socket(pid, established):
        ssh.add(user)
    command = cmdline.split(" ")[0].rsplit("/", 1)[-1].lower()
    if command in ("tmux", "screen") or cmdline.startswith("tmux: server"):
        started = boot + int(fields[19]) // tick
        multiplexers[user] = min(multiplexers.get(user, started), started)
previous, interval = kept.get("ticks", {}), max(1, now - kept.get("at", now - 60))
previous_usec = kept.get("usec", {})
usec = {u: v for u, v in ((u, slice_usec(uid)) for u, uid in uids.items()) if v is not None}
busy = dict(kept.get("busy", {}))
for user, total in ticks.items():
    seconds = max((total - previous.get(user, total)) / tick,
                  (usec.get(user, 0) - previous_usec.get(user, usec.get(user, 0))) / 1e6)
    if seconds > 0.05 * interval:
        busy[user] = now
busy = {u: t for u, t in busy.items() if u in ticks}
os.makedirs(os.path.dirname(state_file), exist_ok=True)
with open(state_file + ".new", "w") as f:
    json.dump({"at": now, "ticks": ticks, "usec": usec, "busy": busy}, f)
os.replace(state_file + ".new", state_file)
iso = lambda t: __import__("time").strftime("%Y-%m-%dT%H:%M:%SZ", __import__("time").gmtime(t))
out = []
for user in sorted(ssh):
    out.append({"user": user, "lastActivity": iso(now), "via": "ssh"})
for user, at in sorted(busy.items()):
    if at == now and user not in ssh:
        out.append({"user": user, "lastActivity": iso(now), "via": "cpu"})
for user, started in sorted(multiplexers.items()):
    out.append({"user": user, "lastActivity": iso(max(started, busy.get(user, 0))), "via": "tmux"})
print(",".join(json.dumps(o, separators=(",", ":")) for o in out))
PY
}

update_health() {
  mkdir -p "$state_dir/health"
  if ! drained && share_in_place && curl "${curl_opts[@]}" -k -o /dev/null "$hub_health"; then
    touch "$state_dir/health/healthy"
  else
    rm -f "$state_dir/health/healthy"
  fi
}

# The instance's managed-identity token for a resource (URL-encoded by the caller).
identity_token() {
  curl "${curl_opts[@]}" -H Metadata:true \
    "${imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=$1" \
    | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'
}

url_encode() {
  python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}

# Over HTTPS to POST /api/usage with the token for the audience, or onto the queue with the token for Storage.
send_report() {
  local token
  # The token goes to curl on its standard input, never on its command line (any user reads /proc/*/cmdline).
  if [ -n "$audience" ]; then
    token="$(identity_token "$(url_encode "$audience")")"
    curl "${curl_opts[@]}" -X POST -H "Content-Type: application/json" --data "$1" --config - "$target" \
      <<< "header = \"Authorization: Bearer ${token}\"" > /dev/null
    return
  fi
  token="$(identity_token "https%3A%2F%2Fstorage.azure.com%2F")"
  curl "${curl_opts[@]}" -X POST -H "x-ms-version: 2020-10-02" -H "Content-Type: application/xml" \
    --data "<QueueMessage><MessageText>$(printf '%s' "$1" | base64 -w0)</MessageText></QueueMessage>" \
    --config - "${target}/messages" <<< "header = \"Authorization: Bearer ${token}\"" > /dev/null
}

# Logins and process signals in one list.
all_sessions() {
  local logins
  logins="$(sessions_json)"
  if [ -z "$from_processes" ]; then
    printf '%s' "$logins"
  elif [ "$logins" = "[]" ]; then
    printf '[%s]' "$from_processes"
  else
    printf '%s,%s]' "${logins%]}" "$from_processes"
  fi
}

main() {
  local report last_active
  # Read once: the sessions and the last activity come from the same moment.
  who_output="$(who -u)"
  from_processes="$(process_sessions)"
  update_health
  last_active="$(remember_last_active)"
  report="$(printf '{"v":1,"pool":"%s","instanceId":"%s","reportedAt":"%s","cpuPercent":%s,"sessions":%s,"kernels":%s%s}' \
    "$pool" "$(instance_id)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cpu_percent)" "$(all_sessions)" "$(kernels_json)" \
    "${last_active:+,\"lastActiveAt\":\"$last_active\"}")"
  send_report "$report"
}

# Run, or sourced by a test that calls one function.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main
fi
