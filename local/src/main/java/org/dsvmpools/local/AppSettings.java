package org.dsvmpools.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * App settings as the Functions host assembles them: the {@code Values} of local.settings.json, overridden by
 * environment variables of the same name. The worker sees them as its environment, which is how the app reads
 * them in Azure too.
 */
public final class AppSettings {
    private static final Pattern EXPRESSION = Pattern.compile("%([^%]+)%");
    private final Map<String, String> values;

    public AppSettings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /**
     * local.settings.json, created from local.settings.json.example when missing and completed from it with any
     * setting it lacks, then the environment on top.
     */
    public static AppSettings load(Path localSettings, Map<String, String> environment) {
        try {
            if (!Files.exists(localSettings)) {
                Path example = localSettings.resolveSibling("local.settings.json.example");
                if (!Files.exists(example)) {
                    throw new IllegalStateException("neither " + localSettings + " nor " + example + " exists");
                }
                Files.copy(example, localSettings);
            }
            JsonNode file = new ObjectMapper().readTree(localSettings.toFile());
            Map<String, String> merged = new LinkedHashMap<>();
            file.path("Values").fields().forEachRemaining(e -> merged.put(e.getKey(), e.getValue().asText()));
            // Settings added to the example since the developer's copy was made take the example's value.
            Path example = localSettings.resolveSibling("local.settings.json.example");
            if (Files.exists(example)) {
                new ObjectMapper().readTree(example.toFile()).path("Values").fields()
                        .forEachRemaining(e -> merged.putIfAbsent(e.getKey(), e.getValue().asText()));
            }
            for (String name : merged.keySet()) {
                if (environment.containsKey(name)) {
                    merged.put(name, environment.get(name));
                }
            }
            return new AppSettings(merged);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + localSettings, e);
        }
    }

    public Map<String, String> values() {
        return values;
    }

    /** Resolves {@code %Name%} binding expressions; a missing setting is a start-up error naming it. */
    public String resolve(String expression, String where) {
        Matcher matcher = EXPRESSION.matcher(expression);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalStateException("app setting '" + name + "' used by " + where
                        + " is not set (local.settings.json Values or the environment)");
            }
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }
}
