package org.dsvmpools.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.junit.jupiter.api.Test;

/** The deployment guide grants the control plane exactly the roles a pool's deployment assigns, and no others. */
class PoolRoleConditionTest {
    private static final Path GUIDE = Path.of("..", "docs", "deploying.md");
    private static final Pattern GUID_LIST = Pattern.compile("GuidEquals \\{([^}]*)}");

    private static String guide() throws IOException {
        return Files.readString(GUIDE);
    }

    @Test
    void theGuidesConditionIsTheOneThePoolRolesMake() throws IOException {
        assertThat(guide()).contains("condition=\"" + PoolRole.condition() + "\"");
    }

    @Test
    void everyRoleTheBlueprintAssignsWithEveryOptionOnIsOneTheGuidesConditionAllows() throws IOException {
        Set<String> allowed = new TreeSet<>();
        Matcher lists = GUID_LIST.matcher(guide());
        while (lists.find()) {
            Arrays.stream(lists.group(1).split(",")).map(String::trim).forEach(allowed::add);
        }
        PoolBlueprint everything = Blueprint.of(PoolDocumentsFixture.spec("ml-team"), new BlueprintSettings(
                BlueprintSettings.DEFAULT_IMAGE, "sub", "/subscriptions/sub/resourceGroups/cp/providers"
                + "/Microsoft.Network/virtualNetworks/cp/subnets/functions", BlueprintSettings.AZURE_ARM,
                new BlueprintSettings.UsageQueue("https://cp.queue.core.windows.net/usage-reports", "/subscriptions/sub"
                        + "/resourceGroups/cp/providers/Microsoft.Storage/storageAccounts/cp/queueServices/default"
                        + "/queues/usage-reports"), "6d3c1c61-8d2f-4b8c-9a0e-2f1e8e5a7b10"));

        Set<String> assigned = everything.resources().stream()
                .filter(PoolBlueprint.RoleAssignment.class::isInstance).map(PoolBlueprint.RoleAssignment.class::cast)
                .map(role -> role.roleDefinitionId().substring(role.roleDefinitionId().lastIndexOf('/') + 1))
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(allowed).isNotEmpty().containsAll(assigned);
        assertThat(assigned).as("every role of the list is used by some option").isEqualTo(Arrays.stream(
                PoolRole.values()).map(PoolRole::id).collect(Collectors.toCollection(TreeSet::new)));
        assertThat(allowed).as("and the guide allows nothing more").isEqualTo(assigned);
    }
}
