#!/bin/sh
# azd's predown hook. `azd down` deletes the control plane's resource group; pools live in resource groups of
# their own (or one the operator named) and would keep running and costing, with nothing left to scale them to
# zero or tear them down. So this refuses while the control plane's pool table lists any pool that is not
# Deleted, and names them. Delete them first (DELETE /api/pools/{name}; ?purgeData=true&confirm={name} removes
# their data too), or set DSVMPOOLS_DOWN_WITH_POOLS=yes to go ahead and leave them behind.
#
# Reads the table with the signed-in user's identity (azd up grants the deploying user Storage Table Data
# Contributor on the control plane's storage account): no key.
set -eu

group="${AZURE_RESOURCE_GROUP:-}"
if [ -z "$group" ]; then
  echo "predown: AZURE_RESOURCE_GROUP is not set (azd sets it from the template's outputs); refusing" >&2
  exit 1
fi

if ! account="$(az storage account list --resource-group "$group" --query "[0].name" --output tsv)" \
    || [ -z "$account" ]; then
  echo "predown: no storage account found in $group, so the pools cannot be listed; refusing" >&2
  echo "predown: set DSVMPOOLS_DOWN_WITH_POOLS=yes to delete the control plane anyway" >&2
  [ "${DSVMPOOLS_DOWN_WITH_POOLS:-}" = yes ] && exit 0
  exit 1
fi

if ! pools="$(az storage entity query --account-name "$account" --auth-mode login --table-name pools \
    --filter "Status ne 'Deleted'" --select Status --query "items[].[RowKey, Status]" --output tsv)"; then
  echo "predown: the pool table of $account could not be read; refusing" >&2
  [ "${DSVMPOOLS_DOWN_WITH_POOLS:-}" = yes ] && exit 0
  exit 1
fi

if [ -z "$pools" ]; then
  echo "predown: no pools left; the control plane can go"
  exit 0
fi

echo "predown: these pools still exist and would keep running without their control plane:" >&2
printf '%s\n' "$pools" | while IFS="$(printf '\t')" read -r name status; do
  echo "  $name ($status)" >&2
done
if [ "${DSVMPOOLS_DOWN_WITH_POOLS:-}" = yes ]; then
  echo "predown: DSVMPOOLS_DOWN_WITH_POOLS=yes: going ahead; delete their resource groups yourself" >&2
  exit 0
fi
echo "predown: delete them first (DELETE /api/pools/{name}), or set DSVMPOOLS_DOWN_WITH_POOLS=yes" >&2
exit 1
