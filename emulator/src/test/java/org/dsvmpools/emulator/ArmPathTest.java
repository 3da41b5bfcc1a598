package org.dsvmpools.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ArmPathTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/subscriptions/s/resourcegroups/rg | Microsoft.Resources/resourceGroups | rg | false | | /subscriptions/s",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v | Microsoft.Network/virtualNetworks | v | false | | /subscriptions/s/resourceGroups/rg",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a | Microsoft.Network/virtualNetworks/subnets | a | false | | /subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/x/virtualMachines | Microsoft.Compute/virtualMachineScaleSets/virtualMachines | x | true | | /subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/x",
        "/subscriptions/s/providers/Microsoft.Compute/virtualMachineScaleSets | Microsoft.Compute/virtualMachineScaleSets | | true | | /subscriptions/s",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/providers/Microsoft.Authorization/roleAssignments/r | Microsoft.Authorization/roleAssignments | r | false | | /subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a",
    })
    void pathsAreReadAsArmDoes(String path, String type, String name, boolean collection, String action,
                               String parent) {
        ArmPath parsed = ArmPath.parse(path, false);

        assertThat(parsed.resourceType()).isEqualTo(type);
        if (!collection) {
            assertThat(parsed.name()).isEqualTo(name);
        }
        assertThat(parsed.isCollection()).isEqualTo(collection);
        assertThat(parsed.parentId()).isEqualTo(parent);
    }

    @ParameterizedTest(name = "POST {0} is action {1}")
    @CsvSource(delimiter = '|', value = {
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a/listKeys | listKeys | Microsoft.Storage/storageAccounts",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/x/deallocate | deallocate | Microsoft.Compute/virtualMachineScaleSets",
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/x/virtualMachines/3/start | start | Microsoft.Compute/virtualMachineScaleSets/virtualMachines",
    })
    void aTrailingSegmentOfAPostIsAnAction(String path, String action, String type) {
        ArmPath parsed = ArmPath.parse(path, true);

        assertThat(parsed.action()).isEqualTo(action);
        assertThat(parsed.resourceType()).isEqualTo(type);
    }
}
