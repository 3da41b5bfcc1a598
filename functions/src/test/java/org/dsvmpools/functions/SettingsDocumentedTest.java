package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every app setting the app reads has a row in docs/configuration.md, so an operator can find what it does. */
class SettingsDocumentedTest {
    @Test
    void everySettingTheAppReadsIsOnTheConfigurationPage() throws Exception {
        String page = Files.readString(Path.of("..", "docs", "configuration.md"));
        List<String> names = new ArrayList<>();
        for (Field field : Settings.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                names.add((String) field.get(null));
            }
        }

        assertThat(names).hasSizeGreaterThan(15);
        assertThat(names).allSatisfy(name -> assertThat(page).as(name).contains("`" + name + "`"));
    }
}
