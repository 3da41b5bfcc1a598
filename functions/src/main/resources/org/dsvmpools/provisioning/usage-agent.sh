#!/bin/bash
# Reports who works on this instance to the dsvm-pools control plane; a systemd timer runs it every minute.
# Sessions: SSH and terminal logins from `who -u`, with the idle time `who` shows as their last activity.
# Kernels: from JupyterHub's API when a token file exists (root-only); without one, none are reported.
# The report goes to the control plane's usage-reports queue, authenticated with this instance's managed
# identity: no shared secret is on the VM, and no secret is in this script or its arguments.
#
# Usage: usage-agent.sh POOL QUEUE_URL
set -euo pipefail

pool="$1"
queue_url="$2"
imds="${DSVMPOOLS_IMDS:-http://169.254.169.254}"
hub_api="${DSVMPOOLS_HUB_API:-http://127.0.0.1:8081/hub/api}"
hub_token_file="${DSVMPOOLS_HUB_TOKEN_FILE:-/etc/dsvmpools/jupyterhub-token}"

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
sessions_json() {
  local first=1 user idle seconds
  printf '['
  while read -r user _ _ _ idle _; do
    case "$idle" in
      .) seconds=0 ;;
      old) seconds=86400 ;;
      *:*) seconds=$(( 10#${idle%%:*} * 3600 + 10#${idle##*:} * 60 )) ;;
      *) continue ;;
    esac
    [[ "$user" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || continue
    [ $first -eq 1 ] || printf ','
    first=0
    printf '{"user":"%s","lastActivity":"%s"}' "$user" "$(iso_seconds_ago "$seconds")"
  done < <(who -u)
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

storage_token() {
  curl -sf -H Metadata:true \
    "${imds}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fstorage.azure.com%2F" \
    | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p'
}

main() {
  local report token
  report="$(printf '{"v":1,"pool":"%s","instanceId":"%s","reportedAt":"%s","cpuPercent":%s,"sessions":%s,"kernels":%s}' \
    "$pool" "$(instance_id)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(cpu_percent)" "$(sessions_json)" "$(kernels_json)")"
  token="$(storage_token)"
  curl -sf -X POST -H "Authorization: Bearer ${token}" -H "x-ms-version: 2020-10-02" \
    -H "Content-Type: application/xml" \
    --data "<QueueMessage><MessageText>$(printf '%s' "$report" | base64 -w0)</MessageText></QueueMessage>" \
    "${queue_url}/messages" > /dev/null
}

main
