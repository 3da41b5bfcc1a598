package org.dsvmpools.kit.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AzureSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NSG = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/n";
    private static AzureSchemas schemas;

    @BeforeAll
    static void load() {
        Optional<AzureSchemas> loaded = AzureSchemas.forTests();
        assumeTrue(loaded.isPresent(), "Azure's schemas are not at " + AzureSchemas.defaultFolder()
                + ": schema checks are off");
        schemas = loaded.get();
    }

    private static List<ArmViolation> check(String method, String type, String version, String body) throws Exception {
        return schemas.check(new ArmRequest(method, NSG, type, version, JSON.readTree(body)));
    }

    private static final String RULE = """
            {"location":"westeurope","properties":{"securityRules":[{"name":"r","properties":{"priority":100,
            "direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"10.0.0.0/8",
            "sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"22"%s}}]}}""";

    @Test
    void aWellFormedSecurityGroupPasses() throws Exception {
        assertThat(check("PUT", "Microsoft.Network/networkSecurityGroups", "2025-03-01", RULE.formatted(""))).isEmpty();
    }

    @Test
    void aMisspelledPropertyIsRefusedWithItsPath() throws Exception {
        List<ArmViolation> found = check("PUT", "Microsoft.Network/networkSecurityGroups", "2025-03-01",
                RULE.formatted(",\"sourceAdressPrefix\":\"x\""));
        assertThat(found).extracting(ArmViolation::code).containsExactly("InvalidRequestContent");
        assertThat(found.get(0).target()).isEqualTo("properties.securityRules[0].properties.sourceAdressPrefix");
    }

    @Test
    void aValueOutsideItsEnumIsRefusedWithItsPath() throws Exception {
        List<ArmViolation> found = check("PUT", "Microsoft.Network/networkSecurityGroups", "2025-03-01",
                RULE.formatted("").replace("\"Inbound\"", "\"Sideways\""));
        assertThat(found).extracting(ArmViolation::target)
                .containsExactly("properties.securityRules[0].properties.direction");
    }

    @Test
    void aWrongTypeIsRefused() throws Exception {
        List<ArmViolation> found = check("PUT", "Microsoft.Network/networkSecurityGroups", "2025-03-01",
                RULE.formatted("").replace("100", "\"first\""));
        assertThat(found).extracting(ArmViolation::target)
                .containsExactly("properties.securityRules[0].properties.priority");
    }

    @Test
    void aMissingRequiredPropertyIsRefusedInAPutButNotInAPatch() throws Exception {
        String withoutAccess = RULE.formatted("").replace("\"access\":\"Allow\",", "");
        assertThat(check("PUT", "Microsoft.Network/networkSecurityGroups", "2025-03-01", withoutAccess))
                .extracting(ArmViolation::code).containsExactly("InvalidRequestContent");
        assertThat(check("PATCH", "Microsoft.Network/networkSecurityGroups", "2025-03-01", withoutAccess)).isEmpty();
    }

    @Test
    void tagsAreAMapOfAnyKeys() throws Exception {
        assertThat(check("PUT", "Microsoft.Network/networkSecurityGroups", "2025-03-01",
                "{\"location\":\"x\",\"tags\":{\"any-key\":\"v\"},\"properties\":{}}")).isEmpty();
    }

    @Test
    void aTypeOrApiVersionWithoutASchemaIsRefusedByName() throws Exception {
        assertThat(check("PUT", "Microsoft.Network/networkSecurityGroups", "2019-01-01", "{}"))
                .extracting(ArmViolation::code).containsExactly("NoRegisteredProviderFound");
        assertThat(check("PUT", "Microsoft.Nothing/things", "2025-03-01", "{}"))
                .extracting(ArmViolation::code).containsExactly("InvalidResourceType");
    }

    @Test
    void everyTypeTheProductSendsHasASchemaAtItsApiVersion() {
        assertThat(schemas.knows("Microsoft.Compute/virtualMachineScaleSets", "2025-04-01")).isTrue();
        assertThat(schemas.knows("Microsoft.Compute/virtualMachineScaleSets/virtualMachines", "2025-04-01")).isTrue();
        assertThat(schemas.knows("Microsoft.Storage/storageAccounts/fileServices/shares", "2025-06-01")).isTrue();
        assertThat(schemas.knows("Microsoft.Authorization/roleAssignments", "2022-04-01")).isTrue();
        assertThat(schemas.knows("Microsoft.Resources/resourceGroups", "2025-04-01")).isTrue();
    }

    @org.junit.jupiter.api.Test
    void theSchemasAreRequiredWhereTheSettingOrCiSaysSo() {
        org.assertj.core.api.Assertions.assertThat(AzureSchemas.required(java.util.Map.of(
                AzureSchemas.REQUIRED_SETTING, "true"))).isTrue();
        org.assertj.core.api.Assertions.assertThat(AzureSchemas.required(java.util.Map.of("CI", "true")))
                .as("CI alone does not: a clone away from ../shared skips with a message").isFalse();
        org.assertj.core.api.Assertions.assertThat(AzureSchemas.required(java.util.Map.of())).isFalse();
        org.assertj.core.api.Assertions.assertThat(AzureSchemas.required(java.util.Map.of("CI", "false"))).isFalse();
    }
}
