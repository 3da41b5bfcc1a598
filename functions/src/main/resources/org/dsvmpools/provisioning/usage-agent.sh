#!/bin/bash
# Reports who works on this instance to the dsvm-pools control plane; a systemd timer runs it every minute.
# Sessions: SSH and terminal logins from `who -u`, with the idle time `who` shows as their last activity.
# Kernels: from JupyterHub's API when a token file exists (root-only); without one, none are reported.
# Last activity: the newest seen since boot, kept in /run (cleared at boot), so the scaler knows how long an
# instance everybody has left has been idle.
# The report goes to the control plane's usage-reports queue, authenticated with this instance's managed
# identity: no shared secret is on the VM, and no secret is in this script or its arguments.
#
# Health: the load balancer probes the file this script keeps in the health directory. It is there while
# JupyterHub answers and the scaler has not drained the instance. A drain is the instance's user data
# ({"dsvmpools":{"drainedAt":"..."}}), read from the metadata service; one older than the boot is stale.
#
# Usage: usage-agent.sh POOL QUEUE_URL
set -euo pipefail

pool="$1"
queue_url="$2"
imds="${DSVMPOOLS_IMDS:-http://169.254.169.254}"
hub_api="${DSVMPOOLS_HUB_API:-http://127.0.0.1:8081/hub/api}"
hub_token_file="${DSVMPOOLS_HUB_TOKEN_FILE:-/etc/dsvmpools/jupyterhub-token}"
hub_health="${DSVMPOOLS_HUB_HEALTH:-https://127.0.0.1:8000/hub/health}"
state_dir="${DSVMPOOLS_STATE_DIR:-/run/dsvmpools}"
proc="${DSVMPOOLS_PROC:-/proc}"

# A Uniform scale set names its instances <scale set>_<instance id>.
instance_id() {
  local name
  name="$(curl -sf -H Metadata:true "${imds}/metadata/instance/compute/name?api-version=2021-02-01&format=text")"
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

# Busy or idle by the Jupyter API's execution state: a kernel computing silently is busy.
kernels_json() {
  local token
  if [ ! -r "$hub_token_file" ]; then
    printf '[]'
    return
  fi
  token="$(cat "$hub_token_file")"
  curl -sf -H "Authorization: token ${token}" "${hub_api}/dsvmpools/kernels" || printf '[]'
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
  data="$(curl -sf -H Metadata:true "${imds}/metadata/instance/compute/userData?api-version=2021-01-01&format=text" \
    | base64 -d 2>/dev/null)" || return 1
  drained_at="$(printf '%s' "$data" | sed -n 's/.*"drainedAt" *: *"\([^"]*\)".*/\1/p')"
  [ -n "$drained_at" ] || return 1
  boot="$(awk '/^btime/ {print $2}' "$proc/stat")"
  [ "$(date -u -d "$drained_at" +%s)" -gt "$boot" ]
}

update_health() {
  mkdir -p "$state_dir/health"
  if ! drained && curl -skf -o /dev/null "$hub_health"; then
    touch "$state_dir/health/healthy"
  else
    rm -f "$state_dir/health/healthy"
  fi
}

storage_token() {
  curl -sf -H Metadata:true \
    "${imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F" \
    | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'
}

main() {
  local report token last_active
  # Read once: the sessions and the last activity come from the same moment.
  who_output="$(who -u)"
  update_health
  last_active="$(remember_last_active)"
  report="$(printf '{"v":1,"pool":"%s","instanceId":"%s","reportedAt":"%s","cpuPercent":%s,"sessions":%s,"kernels":%s%s}' \
    "$pool" "$(instance_id)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cpu_percent)" "$(sessions_json)" "$(kernels_json)" \
    "${last_active:+,\"lastActiveAt\":\"$last_active\"}")"
  token="$(storage_token)"
  curl -sf -X POST -H "Authorization: Bearer ${token}" -H "x-ms-version: 2020-10-02" \
    -H "Content-Type: application/xml" \
    --data "<QueueMessage><MessageText>$(printf '%s' "$report" | base64 -w0)</MessageText></QueueMessage>" \
    "${queue_url}/messages" > /dev/null
}

main
