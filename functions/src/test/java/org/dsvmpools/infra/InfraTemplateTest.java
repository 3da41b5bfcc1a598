package org.dsvmpools.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsvmpools.azure.StorageQueueWakeRequests;
import org.dsvmpools.azure.StorageQueueWorkQueue;
import org.dsvmpools.azure.TablePoolRepository;
import org.dsvmpools.functions.Settings;
import org.dsvmpools.kit.arm.AzureSchemas;
import org.dsvmpools.provisioning.PoolRole;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's template (infra/), checked in every build without a Bicep compiler: it parses with the
 * tree-sitter grammar for Bicep; every resource's type, api-version and literal property names are in Azure's
 * schemas; the roles it lets the app grant are the app's; it sets the settings the app reads, and only those.
 * Each check also runs on a planted error of its kind, which it must report.
 */
class InfraTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonNode outlines;

    @TempDir
    Path dir;

    @BeforeAll
    static void outline() throws Exception {
        outlines = BicepOutline.of(BicepOutline.templates());
    }

    @Test
    void everyTemplateParsesAndASyntaxErrorIsReportedWithItsLineAndColumn() throws Exception {
        assertThat(outlines.size()).isGreaterThanOrEqualTo(8);
        assertThat(InfraChecks.syntax(outlines)).isEmpty();

        Path broken = dir.resolve("broken.bicep");
        Files.writeString(broken, "param name string\nresource x 'Microsoft.Network/virtualNetworks@2025-03-01' = {\n"
                + "  name: name\n  properties: {\n    addressSpace: ]\n  }\n}\n");
        assertThat(InfraChecks.syntax(BicepOutline.of(List.of(broken))))
                .singleElement().asString().startsWith(broken + ":5:");
    }

    @Test
    void everyResourceIsInAzuresSchemasAndAMisspelledPropertyOrAnUnknownApiVersionIsReported() throws Exception {
        AzureSchemas schemas = schemas();
        assertThat(InfraChecks.types(outlines, schemas)).isEmpty();
        assertThat(outlines.findValues("resources").stream().mapToInt(JsonNode::size).sum()).isGreaterThan(25);

        Path planted = dir.resolve("planted.bicep");
        Files.writeString(planted, """
                resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
                  name: 'x'
                  location: 'westeurope'
                  kind: 'StorageV2'
                  sku: { name: 'Standard_LRS' }
                  properties: {
                    allowSharedKeyAcess: false
                    networkAcls: { defaultAction: 'Deny', virtualNetworkRule: [] }
                  }
                }
                resource plan 'Microsoft.Web/serverfarms@2019-13-01' = {
                  name: 'p'
                  location: 'westeurope'
                }
                """);
        assertThat(InfraChecks.types(BicepOutline.of(List.of(planted)), schemas)).containsExactly(
                planted + ":1: account: 'properties.allowSharedKeyAcess' is not a property of"
                        + " Microsoft.Storage/storageAccounts@2025-06-01",
                planted + ":1: account: 'properties.networkAcls.virtualNetworkRule' is not a property of"
                        + " Microsoft.Storage/storageAccounts@2025-06-01",
                planted + ":11: plan: Microsoft.Web/serverfarms@2019-13-01 has no schema in " + schemas.folder());
    }

    @Test
    void theRolesTheTemplateLetsTheAppGrantAreThePoolRolesFromTheOneList() throws Exception {
        List<String> ids = Arrays.stream(PoolRole.values()).map(PoolRole::id).toList();
        assertThat(InfraChecks.roles(outlines, PoolRole.condition(), ids)).isEmpty();
        JsonNode list = JSON.readTree(BicepOutline.INFRA.resolve("pool-roles.json").toFile()).path("roles");
        assertThat(list.findValuesAsText("name")).containsExactlyElementsOf(
                Arrays.stream(PoolRole.values()).map(Enum::name).toList());

        List<String> oneMore = new ArrayList<>(ids);
        oneMore.add("b24988ac-6180-42a0-ab88-20f7382dd24c");
        assertThat(InfraChecks.roles(outlines, PoolRole.condition(), oneMore)).singleElement().asString()
                .contains("differs from PoolRole.condition()");
    }

    @Test
    void theTemplateCreatesTheQueuesAndTablesTheAppUses() throws Exception {
        JsonNode names = JSON.readTree(BicepOutline.INFRA.resolve("storage-names.json").toFile());
        assertThat(texts(names.path("queues"))).containsExactlyInAnyOrder(StorageQueueWorkQueue.POOL_REQUESTS,
                StorageQueueWakeRequests.POOL_WAKES, org.dsvmpools.functions.IngestUsageFunction.USAGE_REPORTS);
        assertThat(texts(names.path("tables"))).containsExactlyInAnyOrderElementsOf(appTables());
    }

    @Test
    void theTemplateSetsWhatTheAppReadsAndNothingTheFlexPlanRefuses() throws Exception {
        Set<String> template = InfraChecks.templateSettings(outlines);
        assertThat(template).contains("DSVMPOOLS_SUBSCRIPTION_ID", "AzureWebJobsStorage__credential",
                "DSVMPOOLS_USAGE_QUEUE_URL", "DSVMPOOLS_HUB_CLIENT_ID");
        assertThat(InfraChecks.settings(template, appReads(), documentedOptional())).isEmpty();

        Set<String> planted = new TreeSet<>(template);
        planted.remove("DSVMPOOLS_SUBSCRIPTION_ID");
        planted.add("FUNCTIONS_WORKER_RUNTIME");
        planted.add("DSVMPOOLS_TYPO_SETTING");
        assertThat(InfraChecks.settings(planted, appReads(), documentedOptional())).containsExactlyInAnyOrder(
                "DSVMPOOLS_SUBSCRIPTION_ID: the app reads it, the template does not set it, and"
                        + " docs/configuration.md does not give it a default",
                "FUNCTIONS_WORKER_RUNTIME: not an app setting on Flex Consumption",
                "DSVMPOOLS_TYPO_SETTING: the template sets it but nothing reads it");
    }

    /**
     * #27: the control plane's storage denies by default whenever its firewall lists the app's subnet (a rule is
     * nothing while the default action is Allow); the API and the usage route have audiences of their own, and with
     * the usage audience the queue trigger is off and the queue settings are not given.
     */
    @Test
    void theStorageFirewallDeniesByDefaultAndTheApiAndUsageHaveAudiencesOfTheirOwn() throws Exception {
        JsonNode account = resource("storage.bicep", "account");
        assertThat(account.path("text").path("properties").asText()).containsPattern(
                "defaultAction: empty\\(appSubnetId\\) \\? 'Allow' : 'Deny'").contains("{ id: appSubnetId, action: 'Allow' }");

        JsonNode app = file("app.bicep");
        assertThat(app.path("variables").path("apiSettings").path("text").asText())
                .contains("DSVMPOOLS_API_AUDIENCE: 'api://${authClientId}'").doesNotContain("USAGE");
        assertThat(app.path("variables").path("usageSettings").path("text").asText())
                .startsWith("empty(usageClientId)").contains("DSVMPOOLS_USAGE_AUDIENCE: 'api://${usageClientId}'",
                        "'AzureWebJobs.IngestUsage.Disabled': 'true'");
        JsonNode main = file("main.bicep");
        assertThat(main.path("variables").path("usageOverQueue").path("text").asText())
                .isEqualTo("usageQueueEnabled && empty(usageClientId)");
        assertThat(Files.readString(BicepOutline.INFRA.resolve("main.bicep")))
                .contains("usageQueueUrl: usageOverQueue ? storage.outputs.usageQueueUrl : ''");
        assertThat(Files.readString(BicepOutline.ROOT.resolve("azure.yaml"))).contains("./infra/hooks/preprovision.sh");
    }

    private static JsonNode file(String name) {
        for (JsonNode file : outlines) {
            if (file.path("file").asText().endsWith("/" + name)) {
                return file;
            }
        }
        throw new AssertionError("no outline of " + name);
    }

    private static JsonNode resource(String fileName, String symbol) {
        for (JsonNode resource : file(fileName).path("resources")) {
            if (resource.path("symbol").asText().equals(symbol)) {
                return resource;
            }
        }
        throw new AssertionError("no resource " + symbol + " in " + fileName);
    }

    @Test
    void theLocalSettingsExampleNamesEverySettingTheAppReads() throws Exception {
        JsonNode example = JSON.readTree(BicepOutline.ROOT.resolve("local.settings.json.example").toFile())
                .path("Values");
        Set<String> missing = new TreeSet<>(appReads());
        example.fieldNames().forEachRemaining(missing::remove);
        missing.remove("AzureWebJobsStorage__credential");
        missing.removeAll(Set.of(Settings.TENANT_ID, Settings.PLATFORM_AUTH_ENABLED, Settings.GRAPH_ENDPOINT,
                Settings.GRAPH_NOTIFICATION_URL));
        assertThat(missing).as("documented as Azure-only in docs/configuration.md").isEmpty();
    }

    /** The settings the app reads: Settings' names, the connection in the identity form the template uses. */
    static List<String> appReads() throws IllegalAccessException {
        List<String> names = new ArrayList<>();
        for (Field field : Settings.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String name = (String) field.get(null);
                names.add(name.equals(Settings.STORAGE_CONNECTION) ? "AzureWebJobsStorage__credential" : name);
            }
        }
        return names;
    }

    /** Settings whose row in docs/configuration.md gives a default (not "required", not "must be set"). */
    static Set<String> documentedOptional() throws Exception {
        Set<String> optional = new LinkedHashSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([A-Za-z_]+)`[^|]*\\| ([^|]*) \\|(.*)$").matcher(
                Files.readString(BicepOutline.ROOT.resolve("docs/configuration.md")));
        while (row.find()) {
            String defaults = row.group(2).toLowerCase(java.util.Locale.ROOT);
            if (!defaults.startsWith("required") && !row.group(3).contains("must be set")) {
                optional.add(row.group(1));
            }
        }
        return optional;
    }

    private static List<String> appTables() throws Exception {
        List<String> tables = new ArrayList<>(List.of(TablePoolRepository.DEFAULT_TABLE));
        for (Field field : org.dsvmpools.functions.Adapters.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getName().endsWith("_TABLE")) {
                field.setAccessible(true);
                tables.add((String) field.get(null));
            }
        }
        return tables;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static AzureSchemas schemas() {
        var schemas = AzureSchemas.forTests();
        Assumptions.assumeTrue(schemas.isPresent(), "skipped: Azure's schemas are not at "
                + AzureSchemas.defaultFolder() + " (set " + AzureSchemas.SETTING + ")");
        return schemas.get();
    }
}
