package org.dsvmpools.pool;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every Azure resource name of a pool, derived from its {@link PoolName} in this one place. Each derived name
 * is checked against Azure's naming rule for its resource type; {@link PoolName}'s rule is strict enough that
 * every valid pool name yields valid Azure names (a test walks the edge cases).
 *
 * <p>Storage account names and DNS labels are global (or regional) namespaces, so they carry a short hash of
 * the pool name: stable across retries, so a re-run finds the account it created before.
 */
public record AzureNames(
        String resourceGroup,
        String storageAccount,
        String fileShare,
        String virtualNetwork,
        String subnet,
        String networkSecurityGroup,
        String publicIp,
        String dnsLabel,
        String loadBalancer,
        String scaleSet,
        String computerNamePrefix) {

    private static final int HASH_CHARS = 8;

    /** Azure's rule per kind of name; the message is what {@link #problems()} reports. */
    enum Rule {
        RESOURCE_GROUP("[-\\w._()]{0,89}[-\\w_()]", "1-90 word characters, '-', '.', '(', ')', not ending in '.'"),
        STORAGE_ACCOUNT("[a-z0-9]{3,24}", "3-24 lowercase letters and digits"),
        FILE_SHARE("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}", "3-63 lowercase letters, digits, single hyphens"),
        NETWORK_RESOURCE("[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?", "1-80 characters, alphanumeric start"),
        DNS_LABEL("[a-z][a-z0-9-]{1,61}[a-z0-9]", "3-63 lowercase, starting with a letter"),
        SCALE_SET("[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?", "1-64 characters, alphanumeric start"),
        LINUX_COMPUTER_NAME_PREFIX("[a-z0-9](?:[a-z0-9-]{0,56}[a-z0-9])?", "1-58 lowercase letters, digits, '-'");

        private final Pattern pattern;
        private final String description;

        Rule(String regex, String description) {
            this.pattern = Pattern.compile(regex);
            this.description = description;
        }

        Optional<String> check(String name) {
            return pattern.matcher(name).matches() ? Optional.empty() : Optional.of(description);
        }
    }

    public static AzureNames of(PoolName pool) {
        String name = pool.value();
        String hash = shortHash(name);
        String compact = name.replace("-", "");
        return new AzureNames(
                "dsvmpools-" + name,
                "dp" + compact.substring(0, Math.min(compact.length(), 24 - 2 - HASH_CHARS)) + hash,
                "pool-data",
                name + "-vnet",
                "instances",
                name + "-nsg",
                name + "-pip",
                name + "-" + hash,
                name + "-lb",
                name + "-vmss",
                name);
    }

    /**
     * The DNS name Azure gives the pool's public IP in a region: {@code <label>.<region>.cloudapp.azure.com} (Azure
     * public cloud), known before the IP exists, so the instances' configuration can name it.
     */
    public String dnsName(String region) {
        return dnsLabel + "." + region + ".cloudapp.azure.com";
    }

    /** The resource group a pool lives in: the existing one its spec names, or its own. */
    public static String resourceGroupOf(PoolSpec spec) {
        return spec.resourceGroup() != null ? spec.resourceGroup() : of(spec.poolName()).resourceGroup();
    }

    /** Why {@code name} cannot name a resource group, or empty when it can. */
    public static Optional<String> resourceGroupProblem(String name) {
        return Rule.RESOURCE_GROUP.check(name).map(rule -> "must be an Azure resource group name: " + rule);
    }

    /** The names that break their Azure rule, each with the rule: empty for every pool name we accept. */
    public Map<String, String> problems() {
        Map<String, String> problems = new LinkedHashMap<>();
        check(problems, "resourceGroup", resourceGroup, Rule.RESOURCE_GROUP);
        check(problems, "storageAccount", storageAccount, Rule.STORAGE_ACCOUNT);
        check(problems, "fileShare", fileShare, Rule.FILE_SHARE);
        check(problems, "virtualNetwork", virtualNetwork, Rule.NETWORK_RESOURCE);
        check(problems, "subnet", subnet, Rule.NETWORK_RESOURCE);
        check(problems, "networkSecurityGroup", networkSecurityGroup, Rule.NETWORK_RESOURCE);
        check(problems, "publicIp", publicIp, Rule.NETWORK_RESOURCE);
        check(problems, "dnsLabel", dnsLabel, Rule.DNS_LABEL);
        check(problems, "loadBalancer", loadBalancer, Rule.NETWORK_RESOURCE);
        check(problems, "scaleSet", scaleSet, Rule.SCALE_SET);
        check(problems, "computerNamePrefix", computerNamePrefix, Rule.LINUX_COMPUTER_NAME_PREFIX);
        return problems;
    }

    private static void check(Map<String, String> problems, String field, String name, Rule rule) {
        rule.check(name).ifPresent(description -> problems.put(field, "'" + name + "': " + description));
    }

    private static String shortHash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
