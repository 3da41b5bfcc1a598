package org.dsvmpools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ./dsvmpools dev}'s command line: a user's mistake is one line that says what, the help is complete. */
class DevStackOptionsTest {
    private static DevStackOptions parse(String... args) {
        return DevStackOptions.parse(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void theDefaultsAreTheDocumentedPorts() {
        DevStackOptions options = parse();

        assertThat(options.port).isEqualTo(7071);
        assertThat(options.armPort).isEqualTo(7443);
        assertThat(options.filesPort).isEqualTo(7444);
        assertThat(options.emulator).isEqualTo(DevStackOptions.EmulatorMode.on);
        assertThat(options.dataDir).isNull();
    }

    @Test
    void optionsAreRead() {
        DevStackOptions options = parse("--port", "8081", "--data-dir", "/tmp/d", "--emulator", "OFF",
                "--time-scale", "0.5", "--files-port", "9444");

        assertThat(options.port).isEqualTo(8081);
        assertThat(options.dataDir).isEqualTo(Path.of("/tmp/d"));
        assertThat(options.emulator).isEqualTo(DevStackOptions.EmulatorMode.off);
        assertThat(options.timeScale).isEqualTo(0.5);
        assertThat(options.filesPort).isEqualTo(9444);
    }

    @Test
    void anUnknownOptionIsOneLineWithWhatWasMeant() {
        assertThatThrownBy(() -> parse("--prot", "7071")).isInstanceOf(DevStackOptions.UsageException.class)
                .hasMessageStartingWith("unknown option --prot; did you mean --port")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aValueOfTheWrongKindSaysSoWithoutAStackTrace() {
        assertThatThrownBy(() -> parse("--port", "abc")).isInstanceOf(DevStackOptions.UsageException.class)
                .hasMessageContaining("'--port'").hasMessageContaining("'abc' is not an int");
        assertThatThrownBy(() -> parse("--emulator", "maybe")).hasMessageContaining("on, off");
        assertThatThrownBy(() -> parse("--port", "70000")).hasMessageContaining("from 1 to 65533, not 70000");
        assertThatThrownBy(() -> parse("--time-scale", "0")).hasMessageContaining("more than 0");
    }

    @Test
    void helpIsPrintedAndListsEveryOptionWithAnExample() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        DevStackOptions options = DevStackOptions.parse(new String[] {"--help"}, new PrintStream(out, true,
                StandardCharsets.UTF_8));

        assertThat(options).isNull();
        String help = out.toString(StandardCharsets.UTF_8);
        for (String option : new String[] {"port", "https-port", "azurite-port", "data-dir", "arm-port", "files-port",
                "time-scale", "faults", "emulator", "settings", "root", "help"}) {
            assertThat(help).contains("--" + option);
        }
        assertThat(help).contains("example: ./dsvmpools dev").doesNotContain("--scan");
        assertThat(DevStackOptions.usage()).isEqualTo(help);
    }
}
