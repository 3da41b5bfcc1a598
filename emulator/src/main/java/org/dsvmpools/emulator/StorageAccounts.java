package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Storage accounts across the whole emulator: names are global, as in Azure; each has two keys (what listKeys
 * returns and what the Files data plane checks SharedKey signatures against) and a folder holding its shares.
 */
final class StorageAccounts {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]{3,24}");
    private static final SecureRandom RANDOM = new SecureRandom();

    record Account(String name, String id, List<String> keys, Path root) {
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    /** Per account, the subnets its firewall admits, lower case; absent: the firewall allows every network. */
    private final Map<String, java.util.Set<String>> admitted = new ConcurrentHashMap<>();
    private final Path dataDir;
    private final String filesBaseUrl;

    StorageAccounts(Path dataDir, String filesBaseUrl) {
        this.dataDir = dataDir;
        this.filesBaseUrl = filesBaseUrl;
    }

    void checkName(String name, String id) {
        if (!NAME.matcher(name).matches()) {
            throw new ArmError(400, "AccountNameInvalid", name + " is not a valid storage account name. Storage"
                    + " account name must be between 3 and 24 characters in length and use numbers and lower-case"
                    + " letters only.");
        }
        Account existing = accounts.get(name);
        if (existing != null && !existing.id().equalsIgnoreCase(id)) {
            throw new ArmError(409, "StorageAccountAlreadyTaken", "The storage account named " + name
                    + " is already taken.");
        }
    }

    /** Keeps the account's firewall as ARM last accepted it ({@code networkAcls}). */
    void firewall(String name, com.fasterxml.jackson.databind.JsonNode networkAcls) {
        if (!"Deny".equalsIgnoreCase(networkAcls.path("defaultAction").asText("Allow"))) {
            admitted.remove(name);
            return;
        }
        java.util.Set<String> subnets = new java.util.HashSet<>();
        networkAcls.path("virtualNetworkRules").forEach(rule -> subnets.add(rule.path("id").asText()
                .toLowerCase(java.util.Locale.ROOT)));
        admitted.put(name, subnets);
    }

    /** Whether a caller in {@code subnetId} gets through the account's firewall. */
    boolean admits(String name, String subnetId) {
        java.util.Set<String> subnets = admitted.get(name);
        return subnets == null || subnets.contains(subnetId.toLowerCase(java.util.Locale.ROOT));
    }

    void register(String name, String id) {
        accounts.computeIfAbsent(name, n -> new Account(n, id, List.of(newKey(), newKey()), folder(n)));
    }

    private Path folder(String name) {
        try {
            return Files.createDirectories(dataDir.resolve("files").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets what Azure reports about the account: its endpoints point at the emulator's Files service. */
    void describe(String name, ObjectNode document) {
        ObjectNode properties = document.withObjectProperty("properties");
        properties.putObject("primaryEndpoints").put("file", filesBaseUrl + "/" + name + "/");
        properties.put("primaryLocation", document.path("location").asText());
        if (!document.has("kind")) {
            document.put("kind", "StorageV2");
        }
    }

    ObjectNode keys(String name) {
        Account account = accounts.get(name);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode keys = body.putArray("keys");
        for (int i = 0; i < account.keys().size(); i++) {
            keys.addObject().put("keyName", "key" + (i + 1)).put("value", account.keys().get(i))
                    .put("permissions", "FULL");
        }
        return body;
    }

    void createShare(String account, String share) {
        Account found = accounts.get(account);
        if (found == null) {
            throw new ArmError(404, "ParentResourceNotFound", "storage account " + account + " not found");
        }
        try {
            Files.createDirectories(found.root().resolve(share));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<Account> find(String name) {
        return Optional.ofNullable(accounts.get(name));
    }

    /** Drops the accounts under a deleted resource or resource group (their files stay on disk for inspection). */
    void forget(String idPrefix) {
        accounts.values().removeIf(account -> {
            String id = account.id().toLowerCase(Locale.ROOT);
            return id.equals(idPrefix) || id.startsWith(idPrefix + "/");
        });
    }

    private static String newKey() {
        byte[] key = new byte[64];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

}
