package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupChecksTest {
    @Test
    void withoutTheControlPlanesSubnetInAzureTheAppSaysOnboardingCannotReachTheShares() {
        assertThat(StartupChecks.warnings(new Settings(Map.of()))).singleElement().asString()
                .contains(Settings.CONTROL_PLANE_SUBNET_ID).contains("403");
        assertThat(StartupChecks.warnings(new Settings(Map.of(Settings.CONTROL_PLANE_SUBNET_ID,
                "/subscriptions/s/resourceGroups/cp/providers/Microsoft.Network/virtualNetworks/v/subnets/app"))))
                .isEmpty();
        assertThat(StartupChecks.warnings(new Settings(Map.of(Settings.ARM_ENDPOINT, "https://127.0.0.1:7443/"))))
                .as("the emulator has no firewall").isEmpty();
    }
}
