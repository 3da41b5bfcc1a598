package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TablesTest {
    @Test
    void anInstantIsWrittenWithNoMoreFractionalDigitsThanAzureStorageTakes() {
        Instant fromJavasClock = Instant.parse("2026-11-27T15:10:12.858716712Z");

        assertThat(Tables.dateTime(fromJavasClock).toString()).isEqualTo("2026-11-27T15:10:12.858716Z");
        assertThat(Tables.dateTime(fromJavasClock).toInstant()).as("a time already kept to the microsecond is kept")
                .isEqualTo(Tables.dateTime(Tables.dateTime(fromJavasClock).toInstant()).toInstant());
    }
}
