package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a load balancer's inbound NAT rules V2 give the members of their backend pool: a frontend port each,
 * handed out lowest first from the rule's range and kept while the member exists, deallocated or not, as the
 * load balancer keeps them.
 */
final class NatRulePorts {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Per rule id (lower case), each member's port; a member is {@code <scale set id>#<instance id>}. */
    private final Map<String, Map<String, Integer>> ports = new HashMap<>();

    /**
     * ARM's "List Inbound Nat Rule Port Mappings" for one member of {@code poolId}.
     *
     * @param exists whether a member still exists; those that do not give their ports back first
     */
    ArrayNode mappings(String loadBalancerId, JsonNode loadBalancer, String poolId, String member,
                       Predicate<String> exists) {
        ArrayNode mappings = JSON.createArrayNode();
        for (JsonNode rule : loadBalancer.path("properties").path("inboundNatRules")) {
            JsonNode p = rule.path("properties");
            if (!p.path("backendAddressPool").path("id").asText().equalsIgnoreCase(poolId)) {
                continue;
            }
            Map<String, Integer> members = ports.computeIfAbsent(ArmPath.key(loadBalancerId + "/inboundNatRules/"
                    + rule.path("name").asText()), k -> new HashMap<>());
            members.keySet().removeIf(exists.negate());
            Integer port = members.get(member);
            for (int candidate = p.path("frontendPortRangeStart").asInt();
                 port == null && candidate <= p.path("frontendPortRangeEnd").asInt(); candidate++) {
                if (!members.containsValue(candidate)) {
                    port = candidate;
                    members.put(member, port);
                }
            }
            if (port != null) {
                mappings.addObject().put("inboundNatRuleName", rule.path("name").asText())
                        .put("protocol", p.path("protocol").asText()).put("frontendPort", port)
                        .put("backendPort", p.path("backendPort").asInt());
            }
        }
        return mappings;
    }

    /** Whether a scale set's IP configurations put its instances in this backend pool. */
    static boolean inPool(JsonNode scaleSet, String poolId) {
        for (JsonNode nic : scaleSet.path("properties").path("virtualMachineProfile").path("networkProfile")
                .path("networkInterfaceConfigurations")) {
            for (JsonNode ip : nic.path("properties").path("ipConfigurations")) {
                for (JsonNode pool : ip.path("properties").path("loadBalancerBackendAddressPools")) {
                    if (pool.path("id").asText().equalsIgnoreCase(poolId)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
