package org.dsvmpools.kit.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Microsoft.Storage's rules for a pool's account and share. */
final class StorageRules {
    static final String ACCOUNT = "Microsoft.Storage/storageAccounts";
    static final String SHARE = "Microsoft.Storage/storageAccounts/fileServices/shares";
    static final int STANDARD_SHARE_LIMIT_GIB = 5120;
    static final int LARGE_SHARE_LIMIT_GIB = 102_400;
    /**
     * Azure's region pairs (Azure reliability, "Azure region pairs and nonpaired regions"), both ways: a
     * {@code Microsoft.Storage} service endpoint reaches accounts in its own region and in the paired one.
     */
    private static final Map<String, String> PAIRS = pairs(
            "eastus", "westus", "eastus2", "centralus", "westus2", "westcentralus", "northcentralus", "southcentralus",
            "northeurope", "westeurope", "uksouth", "ukwest", "francecentral", "francesouth", "germanywestcentral",
            "germanynorth", "swedencentral", "swedensouth", "norwayeast", "norwaywest", "switzerlandnorth",
            "switzerlandwest", "japaneast", "japanwest", "australiaeast", "australiasoutheast", "canadacentral",
            "canadaeast", "southeastasia", "eastasia", "koreacentral", "koreasouth", "centralindia", "southindia",
            "uaenorth", "uaecentral", "southafricanorth", "southafricawest");

    private StorageRules() {
    }

    static List<ArmRule> all() {
        return List.of(
                new ArmRule("InvalidHeaderValue", SHARE,
                        "a share's quota is 1-5,120 GiB, or up to 102,400 GiB on an account with largeFileSharesState"
                                + " Enabled",
                        "Azure Files scale targets and 'Enable large file shares'; REST reference, File Shares - Create"
                                + " (shareQuota); reported as 400 InvalidHeaderValue (Azure/azure-powershell#6812,"
                                + " crossplane-contrib/provider-upjet-azure#869)",
                        StorageRules::shareQuota),
                new ArmRule("NetworkAclsValidationFailure", ACCOUNT,
                        "every subnet in networkAcls.virtualNetworkRules exists and has the Microsoft.Storage service"
                                + " endpoint in the account's region or its pair (or Microsoft.Storage.Global)",
                        "Azure Storage firewall docs, 'Grant access from a virtual network' (service endpoints, paired"
                                + " regions); ARM error NetworkAclsValidationFailure",
                        StorageRules::subnetEndpoints));
    }

    private static List<ArmViolation> shareQuota(ArmRequest request, ArmState state) {
        JsonNode quota = request.body().path("properties").path("shareQuota");
        if (!quota.isNumber()) {
            return List.of();
        }
        String account = request.id().substring(0, request.id().toLowerCase(Locale.ROOT).indexOf("/fileservices/"));
        boolean large = state.resource(account).map(a -> a.path("properties").path("largeFileSharesState").asText(""))
                .orElse("").equalsIgnoreCase("Enabled");
        int limit = large ? LARGE_SHARE_LIMIT_GIB : STANDARD_SHARE_LIMIT_GIB;
        if (quota.asLong() >= 1 && quota.asLong() <= limit) {
            return List.of();
        }
        return List.of(ArmViolation.badRequest("InvalidHeaderValue", "The value for one of the HTTP headers is not in"
                + " the correct format: share quota " + quota.asLong() + " GiB is outside 1-" + limit + " GiB"
                + (large ? "." : " (largeFileSharesState is not Enabled on " + account + ")."), "properties.shareQuota"));
    }

    private static List<ArmViolation> subnetEndpoints(ArmRequest request, ArmState state) {
        String location = request.body().path("location").asText(
                state.resource(request.id()).map(a -> a.path("location").asText("")).orElse(""));
        JsonNode rules = request.body().path("properties").path("networkAcls").path("virtualNetworkRules");
        List<ArmViolation> found = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            String subnetId = rules.get(i).path("id").asText("");
            String target = "properties.networkAcls.virtualNetworkRules[" + i + "].id";
            Optional<Subnet> subnet = Subnet.find(state, subnetId);
            if (subnet.isEmpty()) {
                found.add(ArmViolation.badRequest("NetworkAclsValidationFailure", "Validation of network acls failure:"
                        + " SubnetsNotExist:[" + subnetId + "].", target));
            } else if (!subnet.get().reaches(location)) {
                found.add(ArmViolation.badRequest("NetworkAclsValidationFailure", "Validation of network acls failure:"
                        + " SubnetsHaveNoServiceEndpointsConfigured:[" + subnetId + "] (no Microsoft.Storage endpoint"
                        + " for region '" + location + "').", target));
            }
        }
        return found;
    }

    /** A subnet as its network states it: inline in the network's body, or written on its own. */
    private record Subnet(String networkLocation, JsonNode endpoints) {
        static Optional<Subnet> find(ArmState state, String id) {
            int at = id.toLowerCase(Locale.ROOT).indexOf("/subnets/");
            if (at < 0) {
                return Optional.empty();
            }
            String name = id.substring(at + "/subnets/".length());
            Optional<JsonNode> network = state.resource(id.substring(0, at));
            if (network.isEmpty()) {
                return Optional.empty();
            }
            String location = network.get().path("location").asText("");
            Optional<JsonNode> own = state.resource(id);
            if (own.isPresent()) {
                return Optional.of(new Subnet(location, own.get().path("properties").path("serviceEndpoints")));
            }
            for (JsonNode subnet : network.get().path("properties").path("subnets")) {
                if (subnet.path("name").asText().equalsIgnoreCase(name)) {
                    return Optional.of(new Subnet(location, subnet.path("properties").path("serviceEndpoints")));
                }
            }
            return Optional.empty();
        }

        boolean reaches(String accountLocation) {
            for (JsonNode endpoint : endpoints) {
                String service = endpoint.path("service").asText("");
                if (service.equalsIgnoreCase("Microsoft.Storage.Global")) {
                    return true;
                }
                if (service.equalsIgnoreCase("Microsoft.Storage") && near(networkLocation, accountLocation)) {
                    return true;
                }
            }
            return false;
        }

        private static boolean near(String a, String b) {
            return normal(a).equals(normal(b)) || normal(b).equals(PAIRS.get(normal(a)));
        }
    }

    static String normal(String region) {
        return region.replace(" ", "").toLowerCase(Locale.ROOT);
    }

    private static Map<String, String> pairs(String... regions) {
        Map<String, String> pairs = new java.util.HashMap<>();
        for (int i = 0; i < regions.length; i += 2) {
            pairs.put(regions[i], regions[i + 1]);
            pairs.put(regions[i + 1], regions[i]);
        }
        return Map.copyOf(pairs);
    }
}
