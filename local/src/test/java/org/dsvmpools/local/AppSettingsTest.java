package org.dsvmpools.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSettingsTest {
    @TempDir
    Path dir;

    @Test
    void localSettingsAreCreatedFromTheExampleAndTheEnvironmentWins() throws Exception {
        Files.writeString(dir.resolve("local.settings.json.example"),
                "{\"Values\":{\"A\":\"from-file\",\"B\":\"kept\"}}");

        AppSettings settings = AppSettings.load(dir.resolve("local.settings.json"), Map.of("A", "from-env"));

        assertThat(Files.exists(dir.resolve("local.settings.json"))).isTrue();
        assertThat(settings.values()).containsEntry("A", "from-env").containsEntry("B", "kept");
    }

    @Test
    void settingsAddedToTheExampleLaterFillTheGapsOfAnOlderCopyWithoutOverwritingIt() throws Exception {
        Files.writeString(dir.resolve("local.settings.json"), "{\"Values\":{\"A\":\"mine\"}}");
        Files.writeString(dir.resolve("local.settings.json.example"),
                "{\"Values\":{\"A\":\"example\",\"NEW\":\"0 * * * * *\"}}");

        AppSettings settings = AppSettings.load(dir.resolve("local.settings.json"), Map.of());

        assertThat(settings.values()).containsEntry("A", "mine").containsEntry("NEW", "0 * * * * *");
    }

    @Test
    void bindingExpressionsResolveAndAMissingSettingIsNamed() {
        AppSettings settings = new AppSettings(Map.of("QUEUE", "pool-requests"));

        assertThat(settings.resolve("%QUEUE%", "f")).isEqualTo("pool-requests");
        assertThat(settings.resolve("plain", "f")).isEqualTo("plain");
        assertThatThrownBy(() -> settings.resolve("%MISSING%", "function F"))
                .hasMessageContaining("MISSING").hasMessageContaining("function F");
    }

    @Test
    void aGeneratedKeyIsStoredPrivatelyAndReused() throws Exception {
        String first = DevStack.storedKey(dir, "DSVMPOOLS_TEST_UNSET_VARIABLE", "key", DevStack::newUrlSafeKey);
        String second = DevStack.storedKey(dir, "DSVMPOOLS_TEST_UNSET_VARIABLE", "key", DevStack::newUrlSafeKey);

        assertThat(first).hasSizeGreaterThanOrEqualTo(43).isEqualTo(second);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void sasTokensMadeByTheSdkFormulaAreCheckedForSignatureAndExpiry() {
        String key = DevStack.newKey();
        java.time.OffsetDateTime now = java.time.OffsetDateTime.parse("2031-03-04T05:06:07Z");
        String valid = SasTokens.make("http://127.0.0.1/api/events", key, now.plusMinutes(5));
        String expired = SasTokens.make("http://127.0.0.1/api/events", key, now.minusMinutes(5));

        assertThat(SasToken.isValid(valid, key, now.toInstant())).isTrue();
        assertThat(SasToken.isValid(valid, DevStack.newKey(), now.toInstant())).isFalse();
        assertThat(SasToken.isValid(expired, key, now.toInstant())).isFalse();
        assertThat(SasToken.isValid("r=x&e=y", key, now.toInstant())).isFalse();
    }
}
