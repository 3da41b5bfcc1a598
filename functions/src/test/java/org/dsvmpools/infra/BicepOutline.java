package org.dsvmpools.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What {@code infra/check/outline.mjs} reads from Bicep files with the tree-sitter grammar for Bicep (npm
 * {@code tree-sitter-bicep} through {@code web-tree-sitter}, pinned in package.json): syntax errors, resources with
 * their bodies, variables.
 */
final class BicepOutline {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path INFRA = ROOT.resolve("infra");
    private static final ObjectMapper JSON = new ObjectMapper();

    private BicepOutline() {
    }

    /** Every .bicep file under infra/. */
    static List<Path> templates() throws IOException {
        try (Stream<Path> files = Files.walk(INFRA)) {
            return files.filter(file -> file.toString().endsWith(".bicep")).sorted().toList();
        }
    }

    /** One outline per file, in the order given. */
    static JsonNode of(List<Path> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", INFRA.resolve("check/outline.mjs").toString()));
        files.forEach(file -> command.add(file.toString()));
        Process node = new ProcessBuilder(command).directory(ROOT.toFile()).start();
        byte[] out = node.getInputStream().readAllBytes();
        String err = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(2, TimeUnit.MINUTES) || node.exitValue() != 0) {
            throw new IllegalStateException("outline.mjs failed (is `npm ci` done?): " + err);
        }
        return JSON.readTree(out);
    }
}
