package org.dsvmpools.door;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.dsvmpools.pool.PoolName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReturnPathTest {
    @Test
    void theDoorsAndThePortalsPagesAreReturnPaths() {
        assertThat(ReturnPath.door(new PoolName("ml-team")).value()).isEqualTo("/api/p/ml-team");
        assertThat(ReturnPath.portal(new PoolName("ml-team")).value()).isEqualTo("/api/portal/ml-team");
        assertThat(ReturnPath.PORTAL.value()).isEqualTo("/api/portal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/api/p/x", "//evil.example/api/p/x", "/api/p/../../x",
        "/api/pools/x", "/api/p/x?next=//evil", "/api/p/", "/api/p/x\r\nSet-Cookie: a=b", ""})
    void anythingElseIsRefused(String path) {
        assertThatThrownBy(() -> new ReturnPath(path)).isInstanceOf(IllegalArgumentException.class);
    }
}
