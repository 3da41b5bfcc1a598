package org.dsvmpools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DevStackOptionsTest {

    @Test
    void anUnknownOptionNamesTheValidOnes() {
        assertThatThrownBy(() -> DevStack.options(new String[] {"--prot", "7071"}, Set.of("port", "data-dir")))
                .hasMessage("unknown option --prot; valid: --data-dir, --port (--help for more)");
        assertThat(DevStack.options(new String[] {"--port", "7071"}, Set.of("port"))).containsEntry("port", "7071");
    }

    @Test
    void theHelpShowsEveryOptionTheLauncherReadsWithAnExample() {
        for (String option : new String[] {"port", "https-port", "azurite-port", "data-dir", "arm-port", "files-port",
                "time-scale", "faults", "emulator", "settings", "root"}) {
            assertThat(DevStack.USAGE).contains("  --" + option + " ");
        }
        assertThat(DevStack.USAGE).contains("example: ./dsvmpools dev");
    }
}
