package org.dsvmpools.kit.arm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArmContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ArmState EMPTY = new ArmState() {
        @Override
        public Optional<JsonNode> resource(String id) {
            return Optional.empty();
        }

        @Override
        public List<JsonNode> roleAssignmentsAt(String scope) {
            return List.of();
        }

        @Override
        public boolean principalExists(String principalId) {
            return false;
        }
    };

    @Test
    void withoutTheSchemasItSaysSoAndStillEnforcesTheRules() throws Exception {
        Optional<AzureSchemas> none = AzureSchemas.load(Path.of("no-such-folder"));
        ArmContract rulesOnly = new ArmContract(none);
        JsonNode plural = JSON.readTree("""
                {"location":"westeurope","properties":{"securityRules":[{"name":"probe","properties":{
                "priority":120,"direction":"Inbound","access":"Allow","protocol":"Tcp",
                "sourceAddressPrefixes":["AzureLoadBalancer"],"sourcePortRange":"*",
                "destinationAddressPrefix":"*","destinationPortRange":"8090","misspelt":true}}]}}""");

        List<ArmViolation> found = rulesOnly.check(ArmRequest.put("/subscriptions/s/resourceGroups/g/providers"
                + "/Microsoft.Network/networkSecurityGroups/n", "Microsoft.Network/networkSecurityGroups", "2025-03-01",
                plural), EMPTY);

        assertThat(none).isEmpty();
        assertThat(rulesOnly.describe()).contains("ARM schema checks are OFF", AzureSchemas.SETTING);
        assertThat(found).extracting(ArmViolation::code)
                .as("the misspelt property passes unseen; the rule still holds")
                .containsExactly("SecurityRuleParameterContainsUnsupportedValue");
        assertThat(found.get(0).target()).isEqualTo("properties.securityRules[0].properties.sourceAddressPrefixes");
    }

    @Test
    void anAddressRangeOrCidrIsWelcomeInThePluralList() throws Exception {
        JsonNode addresses = JSON.readTree("""
                {"properties":{"securityRules":[{"name":"ssh","properties":{"priority":100,"direction":"Inbound",
                "sourceAddressPrefixes":["203.0.113.0/24","2001:db8::/32","198.51.100.1-198.51.100.9","10.1.2.3"]}}]}}""");

        assertThat(new ArmContract(Optional.empty()).check(ArmRequest.put("/x/networkSecurityGroups/n",
                "Microsoft.Network/networkSecurityGroups", "2025-03-01", addresses), EMPTY)).isEmpty();
    }
}
