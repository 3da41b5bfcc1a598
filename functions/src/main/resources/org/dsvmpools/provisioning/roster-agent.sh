#!/bin/bash
# Makes this instance's accounts match the pool's roster manifest on the share (.pool/users.json, written by
# the control plane); a systemd timer runs it every minute.
# - Active users: a Linux account with the manifest's uid (and a group of the same id), their SSH keys, and
#   their own folder users/<name>/notebooks mounted at ~/notebooks/remote with their uid and mode 0700. Pool
#   users are not in the dsvmpools group, so the whole share at /data/workspace stays closed to them: one user
#   cannot read another's notebooks.
# - Removed users: the account is locked (expired, so SSH keys stop working too), their processes stopped and
#   the folder unmounted. Nothing is deleted; the control plane has archived the folder on the share.
# Names are checked again here, so a doctored manifest cannot reach outside /home or users/.
#
# Usage: roster-agent.sh ACCOUNT SHARE [FILE_HOST]
set -euo pipefail

account="$1"
share="$2"
file_host="${3:-${account}.file.core.windows.net}"
share_root="${DSVMPOOLS_SHARE_ROOT:-/data/workspace}"
home_root="${DSVMPOOLS_HOME_ROOT:-/home}"
credentials="${DSVMPOOLS_CREDENTIALS_DIR:-/etc/smbcredentials}/${account}.cred"
manifest="${share_root}/.pool/users.json"

# One line per user: name, uid, state, then the SSH keys, tab-separated; entries that break the rules are left out.
entries() {
  python3 - "$manifest" <<'PY'
import json, re, sys
try:
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
except ValueError:
    # The control plane sets the file's new length, then writes it: read in between, it is zeros.
    print("roster-agent: manifest is being written; next run reads it", file=sys.stderr)
    sys.exit(0)
for user in manifest.get("users", []):
    name, uid, state = user.get("name", ""), user.get("uid"), user.get("state")
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,31}", name) or not isinstance(uid, int) or not 20000 < uid < 60000:
        continue
    if state not in ("active", "removed"):
        continue
    keys = [k for k in user.get("sshPublicKeys", []) if re.fullmatch(r"(ssh-ed25519|ssh-rsa) [A-Za-z0-9+/=]+( [^\t\n]*)?", k)]
    print("\t".join([name, str(uid), state] + keys))
PY
}

ensure_account() {
  local name="$1" uid="$2"
  if ! id -u "$name" > /dev/null 2>&1; then
    groupadd --gid "$uid" "$name"
    useradd --uid "$uid" --gid "$uid" --create-home --home-dir "${home_root}/${name}" --shell /bin/bash "$name"
  fi
  usermod --expiredate '' "$name"
}

install_keys() {
  local name="$1" uid="$2"
  shift 2
  local ssh_dir="${home_root}/${name}/.ssh" wanted=""
  [ $# -eq 0 ] || wanted="$(printf '%s\n' "$@")"
  if [ "$(cat "${ssh_dir}/authorized_keys" 2>/dev/null)" != "$wanted" ]; then
    install -d -m 700 "$ssh_dir"
    printf '%s\n' "$wanted" > "${ssh_dir}/authorized_keys"
    chmod 600 "${ssh_dir}/authorized_keys"
    chown -R "${uid}:${uid}" "$ssh_dir"
  fi
}

mount_folder() {
  local name="$1" uid="$2"
  local target="${home_root}/${name}/notebooks/remote"
  if mountpoint -q "$target"; then
    return 0
  fi
  mkdir -p "$target"
  chown "${uid}:${uid}" "${home_root}/${name}/notebooks"
  mount -t cifs "//${file_host}/${share}/users/${name}/notebooks" "$target" \
    -o "vers=3.1.1,credentials=${credentials},uid=${uid},gid=${uid},dir_mode=0700,file_mode=0600,serverino,nofail" \
    || echo "roster-agent: folder of ${name} not mountable yet; next run tries again" >&2
}

offboard() {
  local name="$1" target="${home_root}/${1}/notebooks/remote"
  id -u "$name" > /dev/null 2>&1 || return 0
  usermod --expiredate 1 "$name"
  pkill -KILL -u "$name" || true
  if mountpoint -q "$target"; then
    umount "$target"
  fi
}

main() {
  [ -r "$manifest" ] || return 0
  local name uid state
  local -a fields
  while IFS=$'\t' read -r -a fields; do
    name="${fields[0]}"
    uid="${fields[1]}"
    state="${fields[2]}"
    if [ "$state" = "active" ]; then
      ensure_account "$name" "$uid"
      install_keys "$name" "$uid" "${fields[@]:3}"
      mount_folder "$name" "$uid"
    else
      offboard "$name"
    fi
  done < <(entries)
}

main
