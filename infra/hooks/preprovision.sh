#!/bin/sh
# azd's preprovision hook. With the VNet (the default), the control plane's storage firewall admits only the
# app's subnet (#27), so the pools' VMs cannot put usage reports on its queue; they report over HTTPS with their
# instance's managed-identity token instead, which needs an app registration for that token's audience. Without
# one, the VMs' agents would go unheard and the scaler would count every instance idle once its grace ends, so
# this refuses to provision rather than deploy a control plane that stops VMs people use.
set -eu

vnet="${DSVMPOOLS_VNET_ENABLED:-true}"
queue="${DSVMPOOLS_USAGE_QUEUE_ENABLED:-true}"
if [ "$vnet" != false ] && [ "$queue" != false ] && [ -z "${DSVMPOOLS_USAGE_CLIENT_ID:-}" ]; then
  echo "preprovision: the VNet closes the control plane's storage to the pools' VMs, so they report usage over" >&2
  echo "preprovision: HTTPS: set DSVMPOOLS_USAGE_CLIENT_ID to an app registration for their tokens" >&2
  echo "preprovision: (docs/deploying.md, \"Usage reports\"), or DSVMPOOLS_VNET_ENABLED=false" >&2
  exit 1
fi
if [ -n "${DSVMPOOLS_USAGE_CLIENT_ID:-}" ] && [ "${DSVMPOOLS_USAGE_CLIENT_ID}" = "${DSVMPOOLS_AUTH_CLIENT_ID:-}" ]; then
  echo "preprovision: DSVMPOOLS_USAGE_CLIENT_ID must differ from DSVMPOOLS_AUTH_CLIENT_ID: a VM's token for the" >&2
  echo "preprovision: usage audience must never be one for the API" >&2
  exit 1
fi
echo "preprovision: usage reports over $( [ -n "${DSVMPOOLS_USAGE_CLIENT_ID:-}" ] && echo HTTPS || echo the queue )"
