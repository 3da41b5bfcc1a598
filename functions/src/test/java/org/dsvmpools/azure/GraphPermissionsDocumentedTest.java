package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Graph permissions the app needs are written once, in the adapter, and the docs name exactly those. */
class GraphPermissionsDocumentedTest {
    @Test
    void theOnboardingAndDeploymentPagesNameThePermissionsTheAdapterNeeds() throws Exception {
        String onboarding = Files.readString(Path.of("..", "docs", "onboarding.md"));
        String deploying = Files.readString(Path.of("..", "docs", "deploying.md"));

        assertThat(GraphGroupMembers.PERMISSIONS).containsExactly("Group.Read.All", "User.Read.All");
        for (String permission : GraphGroupMembers.PERMISSIONS) {
            assertThat(onboarding).contains("`" + permission + "`");
            assertThat(deploying).contains("for permission in " + String.join(" ", GraphGroupMembers.PERMISSIONS));
        }
        assertThat(onboarding).doesNotContain("needs the `GroupMember.Read.All` application permission");
        assertThat(Files.readString(Path.of("..", "docs", "sign-in.md"))).contains("`" + GraphAppRedirects.PERMISSION
                + "`");
    }
}
