package org.dsvmpools.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkItemJsonTest {

    @Test
    void aFollowUpRoundTripsWithItsPassAndPurge() {
        WorkItem item = WorkItem.teardown(new PoolName("ml-team"), 4, true).atPass(7);

        String wire = WorkItemJson.write(item);

        assertThat(wire).isEqualTo("{\"v\":1,\"kind\":\"teardown\",\"pool\":\"ml-team\",\"generation\":4,"
                + "\"purgeData\":true,\"pass\":7}");
        assertThat(WorkItemJson.read(wire)).isEqualTo(item);
    }

    @Test
    void theIntakesMessageHasPassZero() {
        WorkItem read = WorkItemJson.read("{\"v\":1,\"kind\":\"provision\",\"pool\":\"ml-team\",\"generation\":1}");

        assertThat(read).isEqualTo(WorkItem.provision(new PoolName("ml-team"), 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json|not JSON",
        "[1]|not a JSON object",
        "{\"v\":2,\"kind\":\"provision\",\"pool\":\"ml-team\",\"generation\":1}|version 'v' must be 1",
        "{\"v\":1,\"kind\":\"resize\",\"pool\":\"ml-team\",\"generation\":1}|'kind' must be provision or teardown",
        "{\"v\":1,\"kind\":\"provision\",\"pool\":\"ML\",\"generation\":1}|'pool' must be 3-20 characters",
        "{\"v\":1,\"kind\":\"provision\",\"pool\":\"ml-team\",\"generation\":0}|'generation' must be a whole number"
    })
    void aMessageThatIsNotAWorkItemSaysWhy(String message, String reason) {
        assertThatThrownBy(() -> WorkItemJson.read(message))
                .isInstanceOf(WorkItemJson.UnreadableMessageException.class)
                .hasMessageContaining(reason);
    }
}
