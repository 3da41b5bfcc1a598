package org.dsvmpools.kit.arm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The docs' table lists every rule the emulator enforces, by code and resource type. */
class ArmRulesDocumentedTest {

    @Test
    void everyRuleHasARowInTheDocs() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "azure-contract.md"));
        for (ArmRule rule : ArmContract.RULES) {
            assertThat(docs).as(rule.code() + " on " + rule.type())
                    .contains("| `" + rule.code() + "` | `" + rule.type() + "` |");
        }
        long rows = docs.lines().filter(line -> line.matches("\\| `[A-Za-z0-9]+` \\| `Microsoft\\.[^`]+` \\|.*")).count();
        assertThat(rows).as("and no row for a rule that is not enforced").isEqualTo(ArmContract.RULES.size());
    }
}
