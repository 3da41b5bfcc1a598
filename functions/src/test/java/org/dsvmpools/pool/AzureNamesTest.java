package org.dsvmpools.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AzureNamesTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"abc", "a-b", "a1-2", "ml-team", "abcdefghijklmnopqrst", "a-b-c-d-e-f-g-h-i-j1",
            "z9999999999999999999", "data-science-team-01"})
    void everyValidPoolNameYieldsNamesThatMeetAzuresRules(String pool) {
        AzureNames names = AzureNames.of(new PoolName(pool));

        assertThat(names.problems()).isEmpty();
        assertThat(names.storageAccount()).hasSizeBetween(3, 24).matches("[a-z0-9]+");
        assertThat(names.fileShare()).hasSizeBetween(3, 63);
        assertThat(names.computerNamePrefix()).hasSizeLessThanOrEqualTo(58);
    }

    @Test
    void derivedNamesAreStableAcrossCalls() {
        assertThat(AzureNames.of(new PoolName("ml-team"))).isEqualTo(AzureNames.of(new PoolName("ml-team")));
    }

    @Test
    void poolsThatDifferOnlyInHyphensGetDifferentStorageAccounts() {
        Set<String> accounts = new HashSet<>();
        for (String pool : new String[] {"mlteam", "ml-team", "m-lteam", "mlte-am"}) {
            accounts.add(AzureNames.of(new PoolName(pool)).storageAccount());
        }
        assertThat(accounts).hasSize(4);
    }

    @Test
    void longNamesAreCutButStayDistinct() {
        String a = AzureNames.of(new PoolName("abcdefghijklmnopqrst")).storageAccount();
        String b = AzureNames.of(new PoolName("abcdefghijklmnopqrsu")).storageAccount();

        assertThat(a).hasSize(24);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void theRulesCatchNamesAzureWouldRefuse() {
        AzureNames broken = new AzureNames("rg.", "Has-Upper", "a--b", "-vnet", "sub", "nsg", "pip", "1abc",
                "lb", "x".repeat(65), "prefix-");

        assertThat(broken.problems()).containsOnlyKeys("resourceGroup", "storageAccount", "fileShare",
                "virtualNetwork", "dnsLabel", "scaleSet", "computerNamePrefix");
    }
}
