#!/bin/bash
# Reports who works on this instance to the dsvm-pools control plane; a systemd timer runs it every minute.
# Sessions, per user, from every way of working:
# - logins from `who -u` (terminals, SSH shells), with the idle time `who` shows as their last activity;
# - established SSH connections without a login: `ssh -N` tunnels, VS Code Remote-SSH, scp/sftp (their sshd
#   process, "sshd: <user>@notty", is busy for as long as the connection stands);
# - processes using CPU: a user whose processes used more than 5% of one CPU since the last run (a nohup job,
#   a tmux job, a training run) is busy now; the ticks are read from /proc;
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

# The login date and time `who` prints are the VM's local time; `date` reads them in the same zone.
sessions_json() {
  local first=1 user day time idle seconds since
  printf '['
  while read -r user _ day time idle _; do
    seconds="$(idle_seconds "$idle")" || continue
    [[ "$user" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || continue
    since="$(date -u -d "$day $time" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null)" || since=""
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
kernels_json() {
  if [ ! -r "$hub_token_file" ]; then
    printf '[]'
    return
  fi
  python3 - "$hub_api" "$hub_url" "$hub_token_file" "${DSVMPOOLS_CURL_MAX_TIME:-10}" <<'PY' || printf '[]'
import json, ssl, sys, time, urllib.parse, urllib.request
api, base, token_file, timeout = sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"), sys.argv[3], float(sys.argv[4])
with open(token_file) as f:
    token = f.read().strip()
loopback_tls = ssl.create_default_context()
loopback_tls.check_hostname = False
loopback_tls.verify_mode = ssl.CERT_NONE


def get(url):
    request = urllib.request.Request(url, headers={"Authorization": "token " + token})
    with urllib.request.urlopen(request, timeout=timeout, context=loopback_tls) as response:
        return json.load(response)


now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
kernels = []
for user in get(api + "/users?state=active"):
    for server in (user.get("servers") or {}).values():
        if not server.get("ready") or not str(server.get("url", "")).startswith("/"):
            continue
        try:
            listed = get(base + urllib.parse.quote(server["url"]) + "api/kernels")
        except (OSError, ValueError) as e:
            print(f"usage-agent: kernels of {user.get('name')}: {e}", file=sys.stderr)
            continue
        for kernel in listed:
            kernels.append({"user": user["name"], "busy": kernel.get("execution_state") == "busy",
                            "lastActivity": kernel.get("last_activity") or now})
print(json.dumps(kernels, separators=(",", ":")))
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
  python3 - "$proc" "$state_dir/cpu.json" "$(date -u +%s)" <<'PY'
import json, os, pwd, re, sys
proc, state_file, now = sys.argv[1], sys.argv[2], int(sys.argv[3])
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
ticks, ssh, multiplexers = {}, set(), {}
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
    ticks[user] = ticks.get(user, 0) + int(fields[11]) + int(fields[12])
    if cmdline.startswith("sshd: " + user + "@"):
        ssh.add(user)
    command = cmdline.split(" ")[0].rsplit("/", 1)[-1].lower()
    if command in ("tmux", "screen") or cmdline.startswith("tmux: server"):
        started = boot + int(fields[19]) // tick
        multiplexers[user] = min(multiplexers.get(user, started), started)
previous, interval = kept.get("ticks", {}), max(1, now - kept.get("at", now - 60))
busy = dict(kept.get("busy", {}))
for user, total in ticks.items():
    if (total - previous.get(user, total)) / tick > 0.05 * interval:
        busy[user] = now
busy = {u: t for u, t in busy.items() if u in ticks}
os.makedirs(os.path.dirname(state_file), exist_ok=True)
with open(state_file + ".new", "w") as f:
    json.dump({"at": now, "ticks": ticks, "busy": busy}, f)
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
  if [ -n "$audience" ]; then
    token="$(identity_token "$(url_encode "$audience")")"
    curl "${curl_opts[@]}" -X POST -H "Authorization: Bearer ${token}" -H "Content-Type: application/json" \
      --data "$1" "$target" > /dev/null
    return
  fi
  token="$(identity_token "https%3A%2F%2Fstorage.azure.com%2F")"
  curl "${curl_opts[@]}" -X POST -H "Authorization: Bearer ${token}" -H "x-ms-version: 2020-10-02" \
    -H "Content-Type: application/xml" \
    --data "<QueueMessage><MessageText>$(printf '%s' "$1" | base64 -w0)</MessageText></QueueMessage>" \
    "${target}/messages" > /dev/null
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
