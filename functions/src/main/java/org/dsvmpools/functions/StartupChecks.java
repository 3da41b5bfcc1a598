package org.dsvmpools.functions;

import java.util.ArrayList;
import java.util.List;
import org.dsvmpools.azure.ArmClients;
import org.dsvmpools.provisioning.BlueprintSettings;

/** What the settings make impossible, said once when the app starts rather than as a 403 per request later. */
final class StartupChecks {
    private StartupChecks() {
    }

    static List<String> warnings(Settings settings) {
        List<String> warnings = new ArrayList<>();
        String arm = settings.optional(Settings.ARM_ENDPOINT).orElse(BlueprintSettings.AZURE_ARM);
        if (settings.optional(Settings.CONTROL_PLANE_SUBNET_ID).isEmpty() && !ArmClients.isLoopback(arm)) {
            warnings.add(Settings.CONTROL_PLANE_SUBNET_ID + " is unset: a pool's storage account admits only its own"
                    + " subnet and the one this names, and Microsoft.Web is not a trusted service, so onboarding"
                    + " cannot reach any pool's share (every Files call is 403). Integrate the Function App with a"
                    + " subnet that has the Microsoft.Storage service endpoint and set its id (docs/deploying.md).");
        }
        return warnings;
    }
}
