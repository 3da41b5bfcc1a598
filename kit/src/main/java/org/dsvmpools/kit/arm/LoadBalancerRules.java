package org.dsvmpools.kit.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/** A Standard load balancer's internal consistency, as the Network resource provider checks it on PUT. */
final class LoadBalancerRules {
    /** Each section that refers to members, and the members it may name. */
    private static final Map<String, List<String>> REFERENCES = Map.of(
            "loadBalancingRules", List.of("frontendIPConfiguration", "backendAddressPool", "probe"),
            "inboundNatRules", List.of("frontendIPConfiguration", "backendAddressPool"),
            "inboundNatPools", List.of("frontendIPConfiguration"),
            "outboundRules", List.of("frontendIPConfigurations", "backendAddressPool"));
    private static final Map<String, String> COLLECTIONS = Map.of(
            "frontendIPConfiguration", "frontendIPConfigurations", "frontendIPConfigurations", "frontendIPConfigurations",
            "backendAddressPool", "backendAddressPools", "probe", "probes");

    private LoadBalancerRules() {
    }

    static List<ArmViolation> references(ArmRequest request) {
        JsonNode properties = request.body().path("properties");
        List<ArmViolation> found = new ArrayList<>();
        REFERENCES.forEach((section, fields) -> {
            JsonNode items = properties.path(section);
            for (int i = 0; i < items.size(); i++) {
                for (String field : fields) {
                    JsonNode value = items.get(i).path("properties").path(field);
                    for (JsonNode ref : value.isArray() ? value : List.of(value)) {
                        String id = ref.path("id").asText("");
                        if (!id.isEmpty() && !isMember(request, COLLECTIONS.get(field), id)) {
                            found.add(ArmViolation.badRequest("InvalidResourceReference", "Resource " + id
                                    + " referenced by resource " + request.id() + "/" + section + "/"
                                    + items.get(i).path("name").asText() + " was not found. Please make sure that the"
                                    + " referenced resource exists, and that both resources are in the same region.",
                                    "properties." + section + "[" + i + "].properties." + field));
                        }
                    }
                }
            }
        });
        return found;
    }

    private static boolean isMember(ArmRequest request, String collection, String id) {
        for (JsonNode member : request.body().path("properties").path(collection)) {
            if ((request.id() + "/" + collection + "/" + member.path("name").asText()).equalsIgnoreCase(id)) {
                return true;
            }
        }
        return false;
    }

    static List<ArmViolation> snat(ArmRequest request) {
        JsonNode properties = request.body().path("properties");
        Set<String> outbound = new HashSet<>();
        for (JsonNode rule : properties.path("outboundRules")) {
            for (JsonNode frontend : rule.path("properties").path("frontendIPConfigurations")) {
                outbound.add(frontend.path("id").asText().toLowerCase(Locale.ROOT));
            }
        }
        List<ArmViolation> found = new ArrayList<>();
        JsonNode rules = properties.path("loadBalancingRules");
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i).path("properties");
            String frontend = rule.path("frontendIPConfiguration").path("id").asText();
            if (outbound.contains(frontend.toLowerCase(Locale.ROOT)) && !rule.path("disableOutboundSnat").asBoolean(false)) {
                found.add(ArmViolation.badRequest(
                        "LoadBalancingRuleMustDisableSNATSinceSameFrontendIPConfigurationIsReferencedByOutboundRule",
                        "Load Balancing Rules " + request.id() + "/loadBalancingRules/" + rules.get(i).path("name").asText()
                                + " must have disableOutboundSNAT set to true when same FrontendIPConfiguration "
                                + frontend + " is referenced by Outbound Rules.",
                        "properties.loadBalancingRules[" + i + "].properties.disableOutboundSnat"));
            }
        }
        return found;
    }

    static List<ArmViolation> natRuleV2(ArmRequest request) {
        return eachNatRule(request, rule -> rule.has("backendAddressPool") && !rule.has("frontendPort")
                && (!rule.has("frontendPortRangeStart") || !rule.has("frontendPortRangeEnd")),
                (rule, target) -> ArmViolation.badRequest("MissedInboundNatRuleV2Properties", "For inbound Nat rule V2"
                        + " properties FrontendPortRangeStart, FrontendPortRangeEnd should not be null.", target));
    }

    static List<ArmViolation> natRuleV1(ArmRequest request) {
        return eachNatRule(request, rule -> rule.has("frontendPort")
                && (rule.has("frontendPortRangeStart") || rule.has("frontendPortRangeEnd")),
                (rule, target) -> ArmViolation.badRequest(
                        "UnsupportedSetOfInboundNatRulePropertiesWhenFrontendPortIsSpecified", "If FrontendPort "
                        + rule.path("frontendPort").asText() + " is set, properties FrontendPortRangeStart,"
                        + " FrontendPortRangeEnd should be null.", target));
    }

    /** A violation for each inbound NAT rule whose properties break the rule. */
    private static List<ArmViolation> eachNatRule(ArmRequest request, Predicate<JsonNode> breaks,
                                                  BiFunction<JsonNode, String, ArmViolation> violation) {
        List<ArmViolation> found = new ArrayList<>();
        JsonNode rules = request.body().path("properties").path("inboundNatRules");
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i).path("properties");
            if (breaks.test(rule)) {
                found.add(violation.apply(rule, "properties.inboundNatRules[" + i + "].properties"));
            }
        }
        return found;
    }

    /** Frontend ports in use, per frontend and protocol: NAT rules, NAT pools and load-balancing rules share them. */
    static List<ArmViolation> overlaps(ArmRequest request) {
        record Ports(String owner, String frontend, String protocol, int first, int last) {
            boolean clashes(Ports other) {
                boolean protocols = protocol.equals("all") || other.protocol.equals("all") || protocol.equals(other.protocol);
                return frontend.equals(other.frontend) && protocols && first <= other.last && other.first <= last;
            }
        }
        List<Ports> taken = new ArrayList<>();
        JsonNode properties = request.body().path("properties");
        for (String section : List.of("loadBalancingRules", "inboundNatRules", "inboundNatPools")) {
            JsonNode items = properties.path(section);
            for (int i = 0; i < items.size(); i++) {
                JsonNode p = items.get(i).path("properties");
                int first = p.has("frontendPortRangeStart") ? p.path("frontendPortRangeStart").asInt()
                        : p.path("frontendPort").asInt(-1);
                int last = p.has("frontendPortRangeEnd") ? p.path("frontendPortRangeEnd").asInt() : first;
                if (first < 0) {
                    continue;
                }
                taken.add(new Ports(section + "[" + i + "]",
                        p.path("frontendIPConfiguration").path("id").asText().toLowerCase(Locale.ROOT),
                        p.path("protocol").asText().toLowerCase(Locale.ROOT), first, last));
            }
        }
        List<ArmViolation> found = new ArrayList<>();
        for (int a = 0; a < taken.size(); a++) {
            for (int b = a + 1; b < taken.size(); b++) {
                if (taken.get(a).clashes(taken.get(b))) {
                    found.add(ArmViolation.badRequest("InboundNatRuleFrontendPortRangesOverlap", "The frontend ports of "
                            + taken.get(a).owner() + " and " + taken.get(b).owner() + " of " + request.id()
                            + " overlap on the same frontend IP configuration and protocol.",
                            "properties." + taken.get(b).owner()));
                }
            }
        }
        return found;
    }

    static List<ArmViolation> publicIpSku(ArmRequest request, ArmState state) {
        String sku = request.body().path("sku").path("name").asText("Basic");
        List<ArmViolation> found = new ArrayList<>();
        JsonNode frontends = request.body().path("properties").path("frontendIPConfigurations");
        for (int i = 0; i < frontends.size(); i++) {
            String ipId = frontends.get(i).path("properties").path("publicIPAddress").path("id").asText("");
            if (ipId.isEmpty()) {
                continue;
            }
            String target = "properties.frontendIPConfigurations[" + i + "].properties.publicIPAddress";
            JsonNode ip = state.resource(ipId).orElse(null);
            if (ip == null) {
                found.add(ArmViolation.badRequest("InvalidResourceReference", "Resource " + ipId + " referenced by"
                        + " resource " + request.id() + " was not found.", target));
            } else if (!ip.path("sku").path("name").asText("Basic").equalsIgnoreCase(sku)) {
                found.add(ArmViolation.badRequest("DifferentSkuLoadBalancersAndPublicIPAddressNotAllowed",
                        "Standard sku load balancer /public ip resources and Basic sku resources cannot be mixed: "
                                + request.id() + " is " + sku + ", " + ipId + " is "
                                + ip.path("sku").path("name").asText("Basic") + ".", target));
            }
        }
        return found;
    }
}
