#!/bin/sh
# azd's postdeploy hook. The template subscribes the OnboardUsers function to the roster topic, and Event Grid
# refuses a subscription to a function that does not exist yet; `azd up` provisions before it deploys the code.
# So the first deploy is followed by one more provision with the subscription on; later ones change nothing.
set -eu

if [ "${DSVMPOOLS_ONBOARDING_SUBSCRIPTION:-false}" = true ]; then
  exit 0
fi
echo "postdeploy: OnboardUsers is deployed; provisioning again to subscribe it to the roster topic"
azd env set DSVMPOOLS_ONBOARDING_SUBSCRIPTION true
azd provision --no-prompt
