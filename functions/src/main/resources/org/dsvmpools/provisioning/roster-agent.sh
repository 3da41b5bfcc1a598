#!/bin/bash
# Makes this instance's accounts match the pool's roster manifest on the share (.pool/users.json, written by
# the control plane); a systemd timer runs it every minute, as root.
#
# What it touches, and why that is safe although pool users control their home directories:
# - It never writes, chmods or chowns anything inside a home after creating it. A home is made by useradd and
#   filled once, right then, as the user (setpriv), so a link a user plants later is never followed as root.
# - SSH keys go to /etc/dsvmpools/authorized_keys/<name>, root-owned, which sshd reads through
#   AuthorizedKeysFile (cloud-init's drop-in); a user cannot point that file anywhere.
# - A user's folder on the share is mounted at /data/users/<name>, a root-owned path under a root-owned
#   directory, and ~/notebooks/remote is a link to it the user may change at will: only their own files are
#   behind it. JupyterHub starts their server in ~/notebooks.
# - A removed user is also deleted from JupyterHub (their server stopped, their cookies and tokens void), with
#   the roster agent's own hub token, when the hub has made one.
# - It manages only the accounts it created, recorded in /var/lib/dsvmpools/accounts/; one the manifest no longer
#   lists is offboarded, so the control plane may drop removed users from the manifest. A name that already
#   exists on the image (a user or a group: the pool's admin, root, video, ...) or a uid outside the pool's
#   range is refused and logged, never taken over; a removal names only accounts it manages.
# Each user is applied on their own: a failure is logged with the user and the reason, the rest go on, and the
# exit status is the number of users that failed (0: all in place). Runs never overlap (flock on a lock in a
# root-only directory), and a run that
# changes nothing writes nothing. Once it has read and applied the manifest it touches /run/dsvmpools/roster-ok,
# which the health probe requires; one user's failure does not clear it, since every instance would share it and
# the pool would lose all its instances to one broken folder.
#
# Usage: roster-agent.sh ACCOUNT SHARE [FILE_HOST]
set -uo pipefail
export LC_ALL=C.UTF-8

account="$1"
share="$2"
file_host="${3:-${account}.file.core.windows.net}"
share_root="${DSVMPOOLS_SHARE_ROOT:-/data/workspace}"
users_root="${DSVMPOOLS_USERS_ROOT:-/data/users}"
home_root="${DSVMPOOLS_HOME_ROOT:-/home}"
keys_root="${DSVMPOOLS_KEYS_ROOT:-/etc/dsvmpools/authorized_keys}"
state_root="${DSVMPOOLS_ACCOUNTS_ROOT:-/var/lib/dsvmpools/accounts}"
run_dir="${DSVMPOOLS_RUN_DIR:-/run/dsvmpools}"
credentials="${DSVMPOOLS_CREDENTIALS_DIR:-/etc/smbcredentials}/${account}.cred"
hub_api="${DSVMPOOLS_HUB_API:-http://127.0.0.1:8081/hub/api}"
hub_token_file="${DSVMPOOLS_HUB_ROSTER_TOKEN_FILE:-/etc/dsvmpools/jupyterhub-roster-token}"
manifest="${share_root}/.pool/users.json"
# The nftables table imds-guard.nft loads; empty skips the check (a test sandbox without its own network).
guard_table="${DSVMPOOLS_IMDS_GUARD_TABLE-dsvmpools_imds}"
# Pool users' uids: above every account the image or its packages make, below nobody (65534).
first_uid=20001
last_uid=59999

log() {
  echo "roster-agent: $*" >&2
}

# One line per user with something to do: name, uid, state, then the SSH keys, tab-separated. The manifest is
# checked whole before anything changes: a document of another shape or version changes nothing (exit 4, the
# instance keeps its accounts and its place in rotation); an entry of the wrong shape is skipped and logged, and the
# rest go on. Users already in place (account, keys, mount, recorded state all as wanted) are left out, so that a
# run that changes nothing costs one read of the manifest, not a few processes per user.
entries() {
  python3 - "$manifest" "$first_uid" "$last_uid" "$state_root" "$keys_root" "$users_root" <<'PY'
import json, os, pwd, re, sys
NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
KEY = re.compile(r"(ssh-ed25519|ssh-rsa) [A-Za-z0-9+/=]+( [^\t\n]*)?")
try:
    with open(sys.argv[1], "rb") as f:
        manifest = json.loads(f.read().decode("utf-8"))
except (ValueError, UnicodeDecodeError):
    # The control plane sets the file's new length, then writes it: read in between, it is zeros.
    print("roster-agent: manifest is being written; next run reads it", file=sys.stderr)
    sys.exit(3)
if not isinstance(manifest, dict) or manifest.get("v") != 1 or not isinstance(manifest.get("users"), list):
    version = manifest.get("v") if isinstance(manifest, dict) else None
    print(f"roster-agent: the manifest is not version 1 with a list of users (v={version!r}); nothing changed",
          file=sys.stderr)
    sys.exit(4)
first, last = int(sys.argv[2]), int(sys.argv[3])
state_root, keys_root, users_root = sys.argv[4], sys.argv[5], sys.argv[6]
with open("/proc/self/mountinfo") as f:
    mounted = {line.split()[4] for line in f}

def say(text):
    print("roster-agent: " + text, file=sys.stderr)

def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None

def account_uid(name):
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None

def in_place(name, state, keys):
    recorded = (read(os.path.join(state_root, name)) or "").strip()
    if state == "removed":
        return recorded in ("", "removed")
    if account_uid(name) is None:
        return False
    wanted = "".join(k + "\n" for k in keys) or "\n"
    return (recorded == "active" and read(os.path.join(keys_root, name)) == wanted
            and os.path.join(users_root, name) in mounted)

def problem(user, name):
    """Why this entry cannot be applied, or None."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        return "breaks the naming rules"
    state, uid, keys = user.get("state"), user.get("uid"), user.get("sshPublicKeys", [])
    if state not in ("active", "removed"):
        return f"state {state!r} is neither active nor removed"
    if state == "active":
        if not isinstance(uid, int) or isinstance(uid, bool) or not first <= uid <= last:
            return f"uid {uid!r} is outside {first}-{last}"
        held = account_uid(name)
        if held is not None and held != uid and os.path.exists(os.path.join(state_root, name)):
            # Its folder would be mounted with the manifest's uid: another user's, on this instance.
            return f"uid {uid} differs from the account's {held}; refused"
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        return "sshPublicKeys is not a list of strings"
    return None

names = [u.get("name") if isinstance(u, dict) else None for u in manifest["users"]]
seen = {n for n in names if isinstance(n, str)}
repeated = {n for n in seen if names.count(n) > 1}
# Without every entry's name, an account missing from the list may only be misread: nobody is offboarded for it.
all_named = all(isinstance(n, str) for n in names)
for user, name in zip(manifest["users"], names):
    if not isinstance(user, dict):
        say(f"entry {user!r:.60} is not an object; skipped")
        continue
    why = "is listed more than once" if name in repeated else problem(user, name)
    if why:
        say(f"{name!r:.60}: {why}; skipped" if not isinstance(name, str) or not NAME.fullmatch(name)
            else f"{name}: {why}; skipped")
        continue
    keys = [k for k in user.get("sshPublicKeys", []) if KEY.fullmatch(k)]
    if not in_place(name, user["state"], keys):
        print("\t".join([name, str(user.get("uid")), user["state"]] + keys))
if not all_named:
    say("an entry has no valid name: accounts it does not list are left as they are this run")
# An account this agent made that the manifest no longer lists was removed (its entry has been compacted away).
for name in sorted(os.listdir(state_root)) if os.path.isdir(state_root) and all_named else []:
    if name not in seen and NAME.fullmatch(name) and not in_place(name, "removed", []):
        print("\t".join([name, "0", "removed"]))
PY
}

managed() {
  [ -f "${state_root}/$1" ]
}

state_of() {
  cat "${state_root}/$1" 2>/dev/null
}

record_state() {
  printf '%s\n' "$2" > "${state_root}/$1"
}

# Refuses names and uids the image has: the account must be one this agent made, or not exist at all.
check_free() {
  local name="$1" uid="$2" holder
  if managed "$name"; then
    return 0
  fi
  if getent passwd "$name" > /dev/null; then
    log "${name}: a user of that name exists on this instance and is not the roster's; refused"
    return 1
  fi
  if getent group "$name" > /dev/null; then
    log "${name}: a group of that name exists on this instance; refused"
    return 1
  fi
  holder="$(getent passwd "$uid" | cut -d: -f1)"
  if [ -n "$holder" ]; then
    log "${name}: uid ${uid} belongs to ${holder}; refused"
    return 1
  fi
  if getent group "$uid" > /dev/null; then
    log "${name}: gid ${uid} is taken on this instance; refused"
    return 1
  fi
}

# A new account, its home filled once as the user; an expired one of ours is let in again.
ensure_account() {
  local name="$1" uid="$2" home="${home_root}/$1"
  if managed "$name" && getent passwd "$name" > /dev/null; then
    if [ "$(state_of "$name")" != active ]; then
      usermod --expiredate '' "$name" || return 1
    fi
    return 0
  fi
  check_free "$name" "$uid" || return 1
  groupadd --gid "$uid" "$name" || return 1
  useradd --uid "$uid" --gid "$uid" --create-home --home-dir "$home" --shell /bin/bash "$name" || return 1
  record_state "$name" created
  # JupyterHub starts the user's server in ~/notebooks; "remote" in it is their folder on the share.
  # shellcheck disable=SC2016 # the inner shell expands its own arguments
  setpriv --reuid "$uid" --regid "$uid" --clear-groups \
    sh -c 'mkdir -p "$1/notebooks" && ln -sfn "$2" "$1/notebooks/remote"' sh "$home" "${users_root}/${name}" \
    || log "${name}: ~/notebooks/remote not made; the folder is at ${users_root}/${name}"
}

# Keys in a root-owned file, written only when they changed.
install_keys() {
  local name="$1" wanted=""
  shift
  [ $# -eq 0 ] || wanted="$(printf '%s\n' "$@")"
  if [ "$(cat "${keys_root}/${name}" 2>/dev/null)" != "$wanted" ]; then
    printf '%s\n' "$wanted" > "${keys_root}/${name}.new" && chmod 644 "${keys_root}/${name}.new" \
      && mv -f "${keys_root}/${name}.new" "${keys_root}/${name}"
  fi
}

# With the account's own uid: an account made earlier keeps it, whatever the manifest says now.
mount_folder() {
  local name="$1" uid target="${users_root}/$1"
  uid="$(id -u "$name")" || return 1
  if mountpoint -q "$target"; then
    return 0
  fi
  install -d -o root -g root -m 755 "$target" || return 1
  timeout 60 mount -t cifs "//${file_host}/${share}/users/${name}/notebooks" "$target" \
    -o "vers=3.1.1,credentials=${credentials},uid=${uid},gid=${uid},dir_mode=0700,file_mode=0600,serverino,nofail"
}

apply_active() {
  local name="$1" uid="$2"
  shift 2
  ensure_account "$name" "$uid" || return 1
  install_keys "$name" "$@" || { log "${name}: keys not written"; return 1; }
  mount_folder "$name" || { log "${name}: folder not mounted; next run tries again"; return 1; }
  [ "$(state_of "$name")" = active ] || record_state "$name" active
}

# Deletes the user from JupyterHub, which stops their server first; a user the hub never saw is done already.
# Without a hub token (no hub on this image, or it has not started yet) there is nothing to sign out.
hub_forget() {
  local name="$1" status
  [ -r "$hub_token_file" ] || return 0
  # The token goes to curl on its standard input, never on its command line (any user reads /proc/*/cmdline).
  status="$(curl -s -o /dev/null -w '%{http_code}' --connect-timeout 3 --max-time 60 -X DELETE --config - \
    "${hub_api}/users/${name}" <<< "header = \"Authorization: token $(tr -d '\n' < "$hub_token_file")\"")"
  case "$status" in
    204|404) return 0 ;;
    *) log "${name}: JupyterHub answered ${status} to the deletion; next run tries again"; return 1 ;;
  esac
}

# Locks the account (expired: SSH keys stop working too), signs it out of JupyterHub, stops its processes,
# unmounts its folder. Once done, it is recorded and never repeated.
apply_removed() {
  local name="$1" target="${users_root}/$1"
  managed "$name" || return 0
  [ "$(state_of "$name")" != removed ] || return 0
  usermod --expiredate 1 "$name" || return 1
  rm -f "${keys_root}/${name}"
  hub_forget "$name" || return 1
  pkill -KILL -u "$name"
  if mountpoint -q "$target" && ! umount "$target"; then
    log "${name}: folder still in use, not unmounted; next run tries again"
    return 1
  fi
  record_state "$name" removed
}

# The metadata service guard (imds-guard.nft) in place: without it, any pool user could take the instance's
# identity, so no account is made or let in again until it is. Removals go on: they only take access away.
imds_guarded() {
  [ -z "$guard_table" ] || nft list table inet "$guard_table" > /dev/null 2>&1
}

main() {
  install -d -m 755 "$run_dir" "$(dirname "$keys_root")" "$keys_root" "$users_root"
  install -d -m 700 "$state_root"
  # In a root-only directory: flock works on any descriptor a user can open, so a lock a user can read is one
  # they can hold, and every run would stop while they did (their own removal with it).
  install -d -o root -g root -m 700 "${run_dir}/locks"
  exec 9> "${run_dir}/locks/roster.lock"
  if ! flock -n 9; then
    log "another run is still going; this one stops"
    return 0
  fi
  if [ ! -r "$manifest" ]; then
    log "no manifest at ${manifest}: the share is not mounted yet"
    rm -f "${run_dir}/roster-ok"
    return 1
  fi
  local lines failed=0 fields guarded=1
  lines="$(entries)"
  case $? in
    0) ;;
    3) return 0 ;;  # half-written: the next run reads it
    4) return 1 ;;  # a document of another shape: nothing changed, the instance keeps what it has
    *) rm -f "${run_dir}/roster-ok"; return 1 ;;
  esac
  if ! imds_guarded; then
    guarded=0
    log "the metadata service guard (nft table inet ${guard_table}) is not loaded: no account is made until it is"
  fi
  while IFS=$'\t' read -r -a fields; do
    [ ${#fields[@]} -ge 3 ] || continue
    if [ "${fields[2]}" = active ]; then
      [ "$guarded" -eq 1 ] || { failed=$((failed + 1)); continue; }
      apply_active "${fields[0]}" "${fields[1]}" "${fields[@]:3}" < /dev/null || failed=$((failed + 1))
    else
      apply_removed "${fields[0]}" < /dev/null || failed=$((failed + 1))
    fi
  done <<< "$lines"
  # Without the guard the instance stays out of rotation (the health probe needs roster-ok).
  if [ "$guarded" -eq 1 ]; then touch "${run_dir}/roster-ok"; else rm -f "${run_dir}/roster-ok"; fi
  [ "$failed" -eq 0 ] || log "${failed} user(s) not in place; next run tries again"
  return "$(( failed > 100 ? 100 : failed ))"
}

main
