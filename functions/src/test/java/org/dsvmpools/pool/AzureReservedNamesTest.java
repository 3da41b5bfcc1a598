package org.dsvmpools.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.dsvmpools.kit.arm.ComputeRules;
import org.junit.jupiter.api.Test;

class AzureReservedNamesTest {

    @Test
    void intakeRefusesExactlyTheAdminNamesTheEmulatorRefusesAsAzureDoes() {
        assertThat(LinuxUserName.AZURE_RESERVED_ADMIN_NAMES).isEqualTo(ComputeRules.RESERVED_ADMIN_NAMES);
    }

    @Test
    void everyNameAzureRefusesIsRefusedAtIntakeWithAReason() {
        for (String name : ComputeRules.RESERVED_ADMIN_NAMES) {
            assertThat(LinuxUserName.problem(name)).as(name).isPresent();
        }
        assertThat(LinuxUserName.problem("admin1")).contains("'admin1' is a name Azure refuses for a VM's administrator");
        assertThat(LinuxUserName.problem("pooladmin")).isEmpty();
    }
}
