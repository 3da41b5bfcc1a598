#!/bin/bash
# Mounts the pool's Azure Files share at /data/workspace and keeps it mounted across reboots.
#
# The storage key is fetched here, at boot, with the instance's managed identity, whose only role is on this
# storage account; it lands in a root-only credentials file and never in custom data, the scale set model or
# extension settings. The role assignment is made right after the scale set, and Azure RBAC takes a few
# minutes to propagate, so fetching the key is retried for up to ten minutes.
#
# Usage: mount-share.sh ACCOUNT SHARE SUBSCRIPTION RESOURCE_GROUP ADMIN_USER [ARM_ENDPOINT] [FILE_HOST]
set -euo pipefail

account="$1"
share="$2"
subscription="$3"
resource_group="$4"
admin_user="$5"
arm="${6:-https://management.azure.com}"
file_host="${7:-${account}.file.core.windows.net}"

mount_point=/data/workspace
credentials_dir=/etc/smbcredentials
credentials="${credentials_dir}/${account}.cred"
imds="http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${arm}/"
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
  token="$(curl -sf -H Metadata:true "${imds}" | json_field access_token)" || return 1
  curl -sf -X POST -H "Authorization: Bearer ${token}" -H "Content-Length: 0" "${list_keys}" \
    | json_field keys 0 value
}

fetch_key_with_retries() {
  local attempt key
  for attempt in $(seq 1 60); do
    if key="$(storage_key)" && [ -n "${key}" ]; then
      printf '%s' "${key}"
      return 0
    fi
    echo "mount-share: storage key not readable yet (attempt ${attempt}); the role may still be propagating" >&2
    sleep 10
  done
  return 1
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
  if ! grep -qF " ${mount_point} cifs " /etc/fstab; then
    printf '%s\n' "${entry}" >> /etc/fstab
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
  getent group dsvmpools > /dev/null || groupadd --system dsvmpools
  usermod -a -G dsvmpools "${admin_user}"
  install -d -m 755 "${mount_point}"
  write_credentials "$(fetch_key_with_retries)"
  add_fstab_entry
  mount "${mount_point}" || mount -a
  link_home "${admin_user}"
  # Per-user folders and accounts are made by the pool agent (onboarding); it reads .pool/ on the share.
}

main
