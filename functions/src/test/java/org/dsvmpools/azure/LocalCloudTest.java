package org.dsvmpools.azure;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Integration tests that share one emulator and one Azurite for their class. */
abstract class LocalCloudTest {
    static LocalCloud local;

    @BeforeAll
    static void startLocalCloud() throws Exception {
        local = LocalCloud.start();
    }

    @AfterAll
    static void stopLocalCloud() {
        local.close();
    }
}
