package org.dsvmpools.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * The user's tokens for each front door, in one file only they may read ({@code 0600}, in a {@code 0700}
 * folder), as the Azure CLI keeps its MSAL cache: the refresh token is what spares a device code sign-in on
 * every {@code ssh}. Written whole to a temporary file and moved, so two connects never leave it half written.
 */
final class TokenCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    /** @param refreshToken null when Entra gave none */
    record Entry(String accessToken, Instant expiresAt, String refreshToken) {
    }

    TokenCache(Path folder) {
        this.file = folder.resolve("tokens.json");
    }

    /** {@code $XDG_CACHE_HOME/dsvmpools}, else {@code ~/.cache/dsvmpools}. */
    static Path defaultFolder() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("dsvmpools");
    }

    synchronized Optional<Entry> read(String key) {
        JsonNode entry = all().path(key);
        if (!entry.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new Entry(entry.path("accessToken").asText(), Instant.ofEpochSecond(entry.path("expiresAt")
                .asLong()), entry.hasNonNull("refreshToken") ? entry.path("refreshToken").asText() : null));
    }

    synchronized void write(String key, Entry entry) {
        ObjectNode all = all();
        all.putObject(key).put("accessToken", entry.accessToken()).put("expiresAt", entry.expiresAt().getEpochSecond())
                .put("refreshToken", entry.refreshToken());
        save(all);
    }

    synchronized void remove(String key) {
        ObjectNode all = all();
        if (all.remove(key) != null) {
            save(all);
        }
    }

    private ObjectNode all() {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode read = JSON.readTree(file.toFile());
            return read instanceof ObjectNode object ? object : JSON.createObjectNode();
        } catch (IOException e) {
            // A damaged cache costs a sign-in, nothing more.
            return JSON.createObjectNode();
        }
    }

    private void save(ObjectNode all) {
        try {
            Path folder = file.getParent();
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            Path temporary = Files.createTempFile(folder, "tokens", ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, JSON.writeValueAsString(all));
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("the token cache " + file + " could not be written", e);
        }
    }
}
