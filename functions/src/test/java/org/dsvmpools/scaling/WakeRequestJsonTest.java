package org.dsvmpools.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dsvmpools.pool.PoolName;
import org.dsvmpools.pool.WorkItemJson;
import org.junit.jupiter.api.Test;

class WakeRequestJsonTest {

    @Test
    void aWakeRequestRoundTrips() {
        WakeRequest request = new WakeRequest(new PoolName("ml-team"), 6);

        assertThat(WakeRequestJson.write(request)).isEqualTo("{\"v\":1,\"pool\":\"ml-team\",\"seats\":6}");
        assertThat(WakeRequestJson.read(WakeRequestJson.write(request))).isEqualTo(request);
    }

    @Test
    void aBadWakeMessageSaysWhy() {
        assertThatThrownBy(() -> WakeRequestJson.read("{\"v\":1,\"pool\":\"ml-team\",\"seats\":0}"))
                .isInstanceOf(WorkItemJson.UnreadableMessageException.class).hasMessageContaining("'seats'");
        assertThatThrownBy(() -> WakeRequestJson.read("{\"v\":1,\"pool\":\"X\",\"seats\":2}"))
                .hasMessageContaining("'pool'");
        assertThatThrownBy(() -> WakeRequestJson.read("nope")).hasMessageContaining("not JSON");
    }
}
