package org.dsvmpools.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.json.JsonSerializable;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.dsvmpools.kit.arm.ArmContract;
import org.dsvmpools.kit.arm.AzureSchemas;
import org.dsvmpools.kit.arm.ArmRequest;
import org.dsvmpools.kit.arm.ArmState;
import org.dsvmpools.kit.arm.ArmViolation;
import org.dsvmpools.pool.IntakePolicy;
import org.dsvmpools.pool.PoolResource;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.pool.PoolSpecRules;
import org.dsvmpools.pool.ResourceState;
import org.dsvmpools.provisioning.Blueprint;
import org.dsvmpools.provisioning.BlueprintSettings;
import org.dsvmpools.provisioning.Outputs;
import org.dsvmpools.provisioning.PoolBlueprint;
import org.dsvmpools.provisioning.ResourceKey;
import org.dsvmpools.testing.PoolDocumentsFixture;
import org.dsvmpools.testing.SshKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every body the blueprint can make, as the SDK serialises it, held against Azure's contract (the published
 * schemas and the resource providers' rules) with no emulator running: a change to a body that ARM would refuse
 * fails here first. The spread covers every option on and off and the smallest and largest values intake allows.
 */
class BlueprintConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUB = "00000000-0000-0000-0000-00000000e1e1";
    /** The api-versions the pinned SDK modules send (the emulator's tests see them on the wire). */
    private static final Map<String, String> API_VERSIONS = Map.of("Microsoft.Network", "2025-03-01",
            "Microsoft.Compute", "2025-04-01", "Microsoft.Storage", "2025-06-01", "Microsoft.Resources", "2025-04-01",
            "Microsoft.Authorization", "2022-04-01");
    private static final String CONTROL_PLANE_VNET = "/subscriptions/" + SUB + "/resourceGroups/dsvmpools-control"
            + "/providers/Microsoft.Network/virtualNetworks/control";
    private static final String CONTROL_PLANE_PRINCIPAL = "6d3c1c61-8d2f-4b8c-9a0e-2f1e8e5a7b10";
    private static ArmContract contract;

    @BeforeAll
    static void contract() {
        contract = new ArmContract(AzureSchemas.forTests());
        System.out.println("BlueprintConformanceTest: " + contract.describe());
    }

    static Stream<Arguments> spreads() {
        List<Arguments> cases = new ArrayList<>();
        Map<String, Consumer<ObjectNode>> specs = new java.util.LinkedHashMap<>();
        specs.put("the documented example", doc -> { });
        specs.put("smallest: one instance at most, none at first, the smallest share, no schedule or users", doc -> {
            doc.putObject("capacity").put("min", 0).put("max", 1).put("initial", 0);
            doc.putObject("share").put("quotaGiB", 100);
            doc.remove("schedule");
            doc.putArray("users");
            doc.put("usersPerInstance", 1);
        });
        specs.put("largest: 100 instances, a 100 TiB share, many networks and keys, a long name", doc -> {
            doc.put("name", "a-long-pool-name-20c");
            doc.putObject("capacity").put("min", 100).put("max", 100).put("initial", 100);
            doc.putObject("share").put("quotaGiB", 102_400);
            ObjectNode access = (ObjectNode) doc.get("access");
            var cidrs = access.putArray("allowedSourceCidrs");
            for (int i = 0; i < 20; i++) {
                cidrs.add("198.51." + i + ".0/24");
            }
            access.withArray("sshPublicKeys").add(SshKeys.rsa2048());
        });
        specs.put("just above the standard share limit", doc -> doc.putObject("share").put("quotaGiB", 5121));
        specs.put("open to the internet, on purpose", doc -> {
            ObjectNode access = (ObjectNode) doc.get("access");
            access.putArray("allowedSourceCidrs").add("0.0.0.0/0");
            access.put("allowInternet", true);
        });
        specs.put("in an existing resource group", doc -> doc.put("resourceGroup", "team-rg"));
        Map<String, BlueprintSettings> settings = Map.of(
                "no optional setting", new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, SUB, null,
                        BlueprintSettings.AZURE_ARM),
                "every optional setting", new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, SUB,
                        CONTROL_PLANE_VNET + "/subnets/functions", BlueprintSettings.AZURE_ARM,
                        new BlueprintSettings.UsageQueue("https://dpcontrol.queue.core.windows.net/usage-reports",
                                "/subscriptions/" + SUB + "/resourceGroups/dsvmpools-control/providers"
                                        + "/Microsoft.Storage/storageAccounts/dpcontrol/queueServices/default/queues"
                                        + "/usage-reports"), CONTROL_PLANE_PRINCIPAL));
        specs.forEach((specCase, change) -> settings.forEach((settingsCase, setting) ->
                cases.add(Arguments.of(specCase + ", " + settingsCase, spec(change), setting))));
        return cases.stream();
    }

    private static PoolSpec spec(Consumer<ObjectNode> change) {
        ObjectNode document = PoolDocumentsFixture.document("conformance");
        change.accept(document);
        PoolSpecJson.ReadResult read = PoolSpecJson.read(document);
        assertThat(read.errors()).isEmpty();
        IntakePolicy policy = new IntakePolicy(Set.of("Standard_D4s_v5"), List.of(org.dsvmpools.pool.PoolImage.DEFAULT),
                Set.of("team-rg"));
        assertThat(new PoolSpecRules(policy).check(read.spec()))
                .as("the spread holds only specs intake accepts").isEmpty();
        return read.spec();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spreads")
    void everyBodyTheBlueprintMakesIsOneArmAccepts(String reason, PoolSpec spec, BlueprintSettings settings) {
        Deployment deployment = new Deployment(Blueprint.of(spec, settings));

        List<String> refused = deployment.deployAll();

        assertThat(refused).as(reason).isEmpty();
        assertThat(deployment.sent).as("every resource of the blueprint was checked")
                .hasSize(deployment.blueprint.resources().size() + 2);
    }

    @Test
    void theSecurityRulesMainSentBeforeTheFixAreRefusedHere() {
        Deployment deployment = new Deployment(Blueprint.of(PoolDocumentsFixture.spec("old-main"),
                new BlueprintSettings(BlueprintSettings.DEFAULT_IMAGE, SUB, null, BlueprintSettings.AZURE_ARM)));
        ObjectNode nsg = deployment.body(deployment.blueprint.resource(ResourceKey.SECURITY_GROUP));
        for (JsonNode rule : nsg.path("properties").path("securityRules")) {
            ObjectNode properties = (ObjectNode) rule.get("properties");
            if (properties.has("sourceAddressPrefix")) {
                properties.putArray("sourceAddressPrefixes").add(properties.remove("sourceAddressPrefix").asText());
            }
        }

        List<ArmViolation> found = contract.check(ArmRequest.put(deployment.id(deployment.blueprint.resource(
                ResourceKey.SECURITY_GROUP)), "Microsoft.Network/networkSecurityGroups", API_VERSIONS.get("Microsoft.Network"), nsg),
                deployment);

        assertThat(found).extracting(ArmViolation::code).containsOnly("SecurityRuleParameterContainsUnsupportedValue")
                .hasSize(2);
    }

    /** The blueprint's resources written one after another into a state that the stateful rules read. */
    private static final class Deployment implements ArmState {
        final PoolBlueprint blueprint;
        final Map<String, JsonNode> stored = new HashMap<>();
        final Set<String> principals = new java.util.HashSet<>(Set.of(CONTROL_PLANE_PRINCIPAL));
        final Map<String, PoolResource> known = new HashMap<>();
        final List<String> sent = new ArrayList<>();
        private final ArmIds ids = new ArmIds(SUB);
        private final ArmModels models = new ArmModels(ids);

        Deployment(PoolBlueprint blueprint) {
            this.blueprint = blueprint;
            // The control plane's network, outside the pool, as the deployment guide has it.
            stored.put(key(CONTROL_PLANE_VNET), JSON.valueToTree(Map.of("location", "westeurope", "properties",
                    Map.of("subnets", List.of(Map.of("name", "functions", "properties", Map.of("serviceEndpoints",
                            List.of(Map.of("service", "Microsoft.Storage")))))))));
        }

        List<String> deployAll() {
            List<String> refused = new ArrayList<>();
            PoolBlueprint.ResourceGroup group = blueprint.resourceGroup();
            accept(refused, ids.group(group), "Microsoft.Resources/resourceGroups",
                    json(new ResourceGroupInner().withLocation(group.location()).withTags(group.tags())));
            for (List<ResourceKey> wave : blueprint.waves()) {
                for (ResourceKey key : wave) {
                    PoolBlueprint.Resource resource = blueprint.resource(key);
                    if (resource instanceof PoolBlueprint.FileShare share) {
                        String account = ids.of(group, "Microsoft.Storage/storageAccounts", share.account());
                        accept(refused, account + "/fileServices/default",
                                "Microsoft.Storage/storageAccounts/fileServices", json(models.shareSoftDelete(share)));
                    }
                    accept(refused, id(resource), type(resource), body(resource));
                    outputs(resource);
                }
            }
            return refused;
        }

        private void accept(List<String> refused, String id, String type, ObjectNode body) {
            sent.add(id);
            String namespace = type.substring(0, type.indexOf('/'));
            for (ArmViolation violation : contract.check(ArmRequest.put(id, type, API_VERSIONS.get(namespace), body),
                    this)) {
                refused.add(type + " " + violation.code() + " at " + violation.target() + ": " + violation.message());
            }
            ObjectNode stored = body.deepCopy();
            stored.put("id", id);
            if (!stored.has("location")) {
                stored.put("location", blueprint.resourceGroup().location());
            }
            this.stored.put(key(id), stored);
        }

        /** What the worker records once a resource exists: its id, the subnet's id, the scale set's principal. */
        private void outputs(PoolBlueprint.Resource resource) {
            Map<String, String> outputs = new HashMap<>();
            if (resource instanceof PoolBlueprint.VirtualNetwork vnet) {
                outputs.put(Outputs.SUBNET_ID, id(resource) + "/subnets/" + vnet.subnet());
            }
            if (resource instanceof PoolBlueprint.ScaleSet) {
                String principal = java.util.UUID.nameUUIDFromBytes(resource.name().getBytes()).toString();
                principals.add(principal);
                outputs.put(Outputs.PRINCIPAL_ID, principal);
            }
            known.put(resource.key().value(), new PoolResource(resource.key().value(), resource.name(), id(resource),
                    ResourceState.Succeeded, outputs));
        }

        ObjectNode body(PoolBlueprint.Resource resource) {
            PoolBlueprint.ResourceGroup group = blueprint.resourceGroup();
            if (resource instanceof PoolBlueprint.SecurityGroup nsg) {
                return json(models.securityGroup(group, nsg));
            }
            if (resource instanceof PoolBlueprint.PublicIp ip) {
                return json(models.publicIp(group, ip));
            }
            if (resource instanceof PoolBlueprint.VirtualNetwork vnet) {
                return json(models.network(group, vnet));
            }
            if (resource instanceof PoolBlueprint.LoadBalancer lb) {
                return json(models.loadBalancer(group, lb));
            }
            if (resource instanceof PoolBlueprint.StorageAccount account) {
                return json(models.storageAccount(group, account, known));
            }
            if (resource instanceof PoolBlueprint.FileShare share) {
                return json(models.share(share));
            }
            if (resource instanceof PoolBlueprint.ScaleSet vmss) {
                return json(models.scaleSet(group, vmss, known));
            }
            return json(models.roleAssignment((PoolBlueprint.RoleAssignment) resource, known));
        }

        String id(PoolBlueprint.Resource resource) {
            PoolBlueprint.ResourceGroup group = blueprint.resourceGroup();
            if (resource instanceof PoolBlueprint.FileShare share) {
                return ids.of(group, "Microsoft.Storage/storageAccounts", share.account()) + "/fileServices/default"
                        + "/shares/" + share.name();
            }
            if (resource instanceof PoolBlueprint.RoleAssignment role) {
                String scope = role.scopeId() != null ? role.scopeId()
                        : ids.of(group, "Microsoft.Storage/storageAccounts", blueprint.resource(role.scopeKey()).name());
                return scope + "/providers/Microsoft.Authorization/roleAssignments/" + role.name();
            }
            return ids.of(group, type(resource), resource.name());
        }

        private static final Map<Class<?>, String> TYPES = Map.of(
                PoolBlueprint.SecurityGroup.class, "Microsoft.Network/networkSecurityGroups",
                PoolBlueprint.PublicIp.class, "Microsoft.Network/publicIPAddresses",
                PoolBlueprint.VirtualNetwork.class, "Microsoft.Network/virtualNetworks",
                PoolBlueprint.LoadBalancer.class, "Microsoft.Network/loadBalancers",
                PoolBlueprint.StorageAccount.class, "Microsoft.Storage/storageAccounts",
                PoolBlueprint.FileShare.class, "Microsoft.Storage/storageAccounts/fileServices/shares",
                PoolBlueprint.ScaleSet.class, "Microsoft.Compute/virtualMachineScaleSets",
                PoolBlueprint.RoleAssignment.class, "Microsoft.Authorization/roleAssignments");

        private static String type(PoolBlueprint.Resource resource) {
            return TYPES.get(resource.getClass());
        }

        private static ObjectNode json(JsonSerializable<?> model) {
            try {
                return (ObjectNode) JSON.readTree(model.toJsonString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String key(String id) {
            return id.toLowerCase(Locale.ROOT);
        }

        @Override
        public Optional<JsonNode> resource(String id) {
            return Optional.ofNullable(stored.get(key(id)));
        }

        @Override
        public List<JsonNode> roleAssignmentsAt(String scope) {
            String prefix = key(scope) + "/providers/microsoft.authorization/roleassignments/";
            return stored.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                    .toList();
        }

        @Override
        public boolean principalExists(String principalId) {
            return principals.contains(principalId);
        }
    }
}
