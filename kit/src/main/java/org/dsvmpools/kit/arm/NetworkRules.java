package org.dsvmpools.kit.arm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Microsoft.Network's rules for the resources a pool is made of. */
final class NetworkRules {
    static final String NSG = "Microsoft.Network/networkSecurityGroups";
    static final String NSG_RULE = "Microsoft.Network/networkSecurityGroups/securityRules";
    static final String VNET = "Microsoft.Network/virtualNetworks";
    static final String LB = "Microsoft.Network/loadBalancers";
    /** An address, CIDR or range: the only values the plural address prefix lists take. */
    private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F.:]+(/\\d{1,3})?(-[0-9a-fA-F.:]+)?");

    private NetworkRules() {
    }

    static List<ArmRule> all() {
        String nsgDocs = "REST reference, Security Rules - Create Or Update (SecurityRulePropertiesFormat: "
                + "sourceAddressPrefix takes '*' and tags, sourceAddressPrefixes takes CIDR or source IP ranges); "
                + "reported as SecurityRuleParameterContainsUnsupportedValue (hashicorp/terraform-provider-azurerm#5617,"
                + " ansible-collections/azure#639)";
        String lbErrors = "Azure Load Balancer, 'Troubleshoot common deployment errors' (error code table)";
        return List.of(
                new ArmRule("SecurityRuleParameterContainsUnsupportedValue", NSG,
                        "service tags and '*' only in the singular source/destinationAddressPrefix, never in the plural lists",
                        nsgDocs, (r, s) -> eachRule(r, NetworkRules::tagsInLists)),
                new ArmRule("SecurityRuleParameterContainsUnsupportedValue", NSG_RULE,
                        "the same for a security rule written on its own", nsgDocs,
                        (r, s) -> tagsInLists(r.id(), r.body().path("properties"), "properties")),
                new ArmRule("SecurityRuleInvalidPriority", NSG, "a rule's priority is 100-4096",
                        "REST reference, SecurityRulePropertiesFormat.priority ('between 100 and 4096')",
                        (r, s) -> eachRule(r, NetworkRules::priority)),
                new ArmRule("SecurityRulesConflictingPriority", NSG,
                        "no two rules of one direction share a priority",
                        "REST reference, SecurityRulePropertiesFormat.priority ('The priority number must be unique for "
                                + "each rule in the collection'); the code is the emulator's name, ARM's own is not documented",
                        (r, s) -> uniquePriorities(r)),
                new ArmRule("NetcfgSubnetRangeOutsideVnet", VNET,
                        "every subnet's IPv4 prefix lies inside one of the network's address prefixes",
                        "ARM error NetcfgSubnetRangeOutsideVnet (virtual network troubleshooting)",
                        (r, s) -> subnetsInside(r)),
                new ArmRule("InvalidResourceReference", LB,
                        "rules, NAT rules, NAT pools and outbound rules refer only to this load balancer's frontends,"
                                + " backend pools and probes", lbErrors + "; ARM error InvalidResourceReference",
                        (r, s) -> LoadBalancerRules.references(r)),
                new ArmRule("LoadBalancingRuleMustDisableSNATSinceSameFrontendIPConfigurationIsReferencedByOutboundRule",
                        LB, "a load-balancing rule on a frontend that an outbound rule uses sets disableOutboundSnat",
                        "reported error (ansible-collections/azure#743); Outbound rules overview",
                        (r, s) -> LoadBalancerRules.snat(r)),
                new ArmRule("MissedInboundNatRuleV2Properties", LB,
                        "an inbound NAT rule on a backend pool (V2) has frontendPortRangeStart and frontendPortRangeEnd",
                        "reported error (Azure/azure-cli#21583); REST reference, InboundNatRulePropertiesFormat",
                        (r, s) -> LoadBalancerRules.natRuleV2(r)),
                new ArmRule("UnsupportedSetOfInboundNatRulePropertiesWhenFrontendPortIsSpecified", LB,
                        "a NAT rule with frontendPort has no frontend port range",
                        "reported error (Azure/azure-cli#21583)", (r, s) -> LoadBalancerRules.natRuleV1(r)),
                new ArmRule("InboundNatRuleFrontendPortRangesOverlap", LB,
                        "frontend ports of NAT rules, NAT pools and load-balancing rules on one frontend and protocol"
                                + " do not overlap",
                        "REST reference, InboundNatRule ('frontend port ... unique within the Load Balancer'); the"
                                + " code is the emulator's name, ARM's own code is not documented",
                        (r, s) -> LoadBalancerRules.overlaps(r)),
                new ArmRule("DifferentSkuLoadBalancersAndPublicIPAddressNotAllowed", LB,
                        "a load balancer's public IPs have its SKU", lbErrors,
                        (r, s) -> LoadBalancerRules.publicIpSku(r, s)));
    }

    private interface RuleCheck {
        List<ArmViolation> check(String ruleId, JsonNode properties, String path);
    }

    private static List<ArmViolation> eachRule(ArmRequest request, RuleCheck check) {
        List<ArmViolation> found = new ArrayList<>();
        JsonNode rules = request.body().path("properties").path("securityRules");
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            found.addAll(check.check(request.id() + "/securityRules/" + rule.path("name").asText(),
                    rule.path("properties"), "properties.securityRules[" + i + "].properties"));
        }
        return found;
    }

    private static List<ArmViolation> tagsInLists(String ruleId, JsonNode properties, String path) {
        List<ArmViolation> found = new ArrayList<>();
        for (String list : List.of("sourceAddressPrefixes", "destinationAddressPrefixes")) {
            for (JsonNode prefix : properties.path(list)) {
                if (!ADDRESS.matcher(prefix.asText()).matches()) {
                    String field = Character.toUpperCase(list.charAt(0)) + list.substring(1);
                    found.add(ArmViolation.badRequest("SecurityRuleParameterContainsUnsupportedValue",
                            "Security rule parameter " + field + " for rule with Id " + ruleId + " cannot specify"
                                    + " existing VIRTUALNETWORK, INTERNET, AZURELOADBALANCER, '*' or system tags."
                                    + " Unsupported value used: " + prefix.asText() + ".", path + "." + list));
                }
            }
        }
        return found;
    }

    private static List<ArmViolation> priority(String ruleId, JsonNode properties, String path) {
        int priority = properties.path("priority").asInt(-1);
        return priority >= 100 && priority <= 4096 ? List.of()
                : List.of(ArmViolation.badRequest("SecurityRuleInvalidPriority", "Security rule " + ruleId
                + " has invalid Priority. Value provided: " + properties.path("priority") + ". Allowed range 100-4096.",
                path + ".priority"));
    }

    private static List<ArmViolation> uniquePriorities(ArmRequest request) {
        List<String> seen = new ArrayList<>();
        List<ArmViolation> found = new ArrayList<>();
        JsonNode rules = request.body().path("properties").path("securityRules");
        for (int i = 0; i < rules.size(); i++) {
            JsonNode properties = rules.get(i).path("properties");
            String key = properties.path("direction").asText().toLowerCase(Locale.ROOT) + "/"
                    + properties.path("priority").asText();
            if (seen.contains(key)) {
                found.add(ArmViolation.badRequest("SecurityRulesConflictingPriority", "Security rules "
                        + rules.get(i).path("name").asText() + " and another rule of direction "
                        + properties.path("direction").asText() + " have the same priority "
                        + properties.path("priority").asText() + ".", "properties.securityRules[" + i + "].properties.priority"));
            }
            seen.add(key);
        }
        return found;
    }

    private static List<ArmViolation> subnetsInside(ArmRequest request) {
        List<Ipv4Range> space = new ArrayList<>();
        for (JsonNode prefix : request.body().path("properties").path("addressSpace").path("addressPrefixes")) {
            Ipv4Range.parse(prefix.asText()).ifPresent(space::add);
        }
        List<ArmViolation> found = new ArrayList<>();
        JsonNode subnets = request.body().path("properties").path("subnets");
        for (int i = 0; i < subnets.size(); i++) {
            String prefix = subnets.get(i).path("properties").path("addressPrefix").asText("");
            Ipv4Range subnet = Ipv4Range.parse(prefix).orElse(null);
            if (subnet != null && !space.isEmpty() && space.stream().noneMatch(s -> s.contains(subnet))) {
                found.add(ArmViolation.badRequest("NetcfgSubnetRangeOutsideVnet", "Subnet '"
                        + subnets.get(i).path("name").asText() + "' is not valid because its IP address range "
                        + prefix + " is outside the IP address range of virtual network '" + request.id() + "'.",
                        "properties.subnets[" + i + "].properties.addressPrefix"));
            }
        }
        return found;
    }
}
