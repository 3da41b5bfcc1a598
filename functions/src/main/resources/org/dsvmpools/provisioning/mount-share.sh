#!/bin/bash
# Mounts the pool's Azure Files share at /data/workspace and keeps it mounted across reboots.
#
# The storage key is fetched here with the instance's managed identity, whose only role is on this storage
# account; it lands in a root-only credentials file and never in custom data, the scale set model or extension
# settings. A systemd timer runs this every minute until the share is mounted, and again after every reboot:
# the role assignment is made right after the scale set and takes minutes to propagate, and a rotated key is
# fetched anew whenever the share is not mounted. A run with the share mounted does nothing. Every network
# call has a timeout, so a hung endpoint costs one run, never the timer.
#
# Usage: mount-share.sh ACCOUNT SHARE SUBSCRIPTION RESOURCE_GROUP ADMIN_USER [ARM_ENDPOINT] [FILE_HOST]
set -euo pipefail
export LC_ALL=C.UTF-8

account="$1"
share="$2"
subscription="$3"
resource_group="$4"
admin_user="$5"
arm="${6:-https://management.azure.com}"
file_host="${7:-${account}.file.core.windows.net}"

mount_point="${DSVMPOOLS_SHARE_ROOT:-/data/workspace}"
credentials_dir="${DSVMPOOLS_CREDENTIALS_DIR:-/etc/smbcredentials}"
fstab="${DSVMPOOLS_FSTAB:-/etc/fstab}"
imds_host="${DSVMPOOLS_IMDS:-http://169.254.169.254}"
credentials="${credentials_dir}/${account}.cred"
imds="${imds_host}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${arm}/"
list_keys="${arm}/subscriptions/${subscription}/resourceGroups/${resource_group}/providers/Microsoft.Storage/storageAccounts/${account}/listKeys?api-version=2023-05-01"

# Prints one field of the JSON on stdin, by path: json_field keys 0 value
json_field() {
  python3 -c '
import json, sys
value = json.load(sys.stdin)
for step in sys.argv[1:]:
    value = value[int(step)] if step.isdigit() else value[step]
print(value)' "$@"
}

storage_key() {
  local token
  token="$(curl -sf --connect-timeout 5 --max-time 20 -H Metadata:true "${imds}" | json_field access_token)" \
    || return 1
  # The token goes to curl on its standard input: on the command line any user would read it in /proc.
  curl -sf --connect-timeout 5 --max-time 30 -X POST -H "Content-Length: 0" --config - "${list_keys}" \
    <<< "header = \"Authorization: Bearer ${token}\"" | json_field keys 0 value
}

write_credentials() {
  local key="$1"
  install -d -m 700 "${credentials_dir}"
  (
    umask 077
    printf 'username=%s\npassword=%s\n' "${account}" "${key}" > "${credentials}"
  )
  chmod 600 "${credentials}"
}

add_fstab_entry() {
  local group_id entry
  group_id="$(getent group dsvmpools | cut -d: -f3)"
  entry="//${file_host}/${share} ${mount_point} cifs nofail,_netdev,vers=3.1.1,credentials=${credentials},uid=0,gid=${group_id},dir_mode=0770,file_mode=0660,serverino,mfsymlinks,actimeo=30 0 0"
  if ! grep -qF " ${mount_point} cifs " "${fstab}"; then
    printf '%s\n' "${entry}" >> "${fstab}"
  fi
}

link_home() {
  local user="$1" home
  home="$(getent passwd "${user}" | cut -d: -f6)"
  [ -n "${home}" ] || return 0
  install -d -o "${user}" -g "${user}" "${home}/notebooks"
  ln -sfn "${mount_point}" "${home}/notebooks/remote"
  chown -h "${user}:${user}" "${home}/notebooks/remote"
}

main() {
  local key
  if mountpoint -q "${mount_point}"; then
    return 0
  fi
  getent group dsvmpools > /dev/null || groupadd --system dsvmpools
  id -nG "${admin_user}" | grep -qw dsvmpools || usermod -a -G dsvmpools "${admin_user}"
  install -d -m 755 "${mount_point}"
  if ! key="$(storage_key)" || [ -z "${key}" ]; then
    echo "mount-share: storage key not readable yet (the role may still be propagating); next run tries again" >&2
    return 1
  fi
  write_credentials "${key}"
  add_fstab_entry
  timeout 60 mount "${mount_point}"
  link_home "${admin_user}"
  # Per-user folders and accounts are made by the roster agent; it reads .pool/ on the share.
}

main
