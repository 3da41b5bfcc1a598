package org.dsvmpools.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dsvmpools.kit.arm.AzureSchemas;

/**
 * The build's checks of the control plane's template, each a function from outlines (and what the code says) to
 * problems, so that a test can plant an error of each kind and see it reported.
 */
final class InfraChecks {
    /** Bicep's own keys in a resource body, which no ARM schema has. */
    private static final Set<String> BICEP_ONLY = Set.of("parent", "scope", "dependsOn");
    /** App settings of the platform and the SDKs, which the app's code does not read by name. */
    static final Pattern PLATFORM_SETTING = Pattern.compile("AzureWebJobsStorage__(credential|clientId|"
            + "blobServiceUri|queueServiceUri|tableServiceUri)|APPLICATIONINSIGHTS_(CONNECTION|AUTHENTICATION)_STRING"
            + "|AZURE_CLIENT_ID|AzureWebJobs\\.[A-Za-z]+\\.Disabled");
    /** Settings of the old plans that Flex Consumption refuses or ignores (the runtime is in functionAppConfig). */
    static final Set<String> NOT_ON_FLEX = Set.of("FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION",
            "WEBSITE_TIME_ZONE", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "AzureWebJobsStorage");

    private InfraChecks() {
    }

    /** Syntax: every parse error, as {@code file:line:column}. */
    static List<String> syntax(JsonNode outlines) {
        List<String> problems = new ArrayList<>();
        for (JsonNode file : outlines) {
            for (JsonNode error : file.path("errors")) {
                problems.add(file.path("file").asText() + ":" + error.path("line").asInt() + ":"
                        + error.path("column").asInt() + ": syntax error near '" + error.path("text").asText() + "'");
            }
        }
        return problems;
    }

    /** Types: each resource's type and api-version have a schema, and each literal property name is defined. */
    static List<String> types(JsonNode outlines, AzureSchemas schemas) {
        List<String> problems = new ArrayList<>();
        for (JsonNode file : outlines) {
            for (JsonNode resource : file.path("resources")) {
                String where = file.path("file").asText() + ":" + resource.path("line").asInt() + ": "
                        + resource.path("symbol").asText();
                String type = resource.path("type").asText();
                String version = resource.path("apiVersion").asText();
                if (!schemas.knows(type, version)) {
                    problems.add(where + ": " + type + "@" + version + " has no schema in " + schemas.folder());
                    continue;
                }
                if (resource.path("existing").asBoolean() || !resource.path("body").isObject()) {
                    continue;
                }
                ObjectNode body = resource.path("body").deepCopy();
                body.remove(BICEP_ONLY);
                for (String path : schemas.undefinedProperties(type, version, body)) {
                    problems.add(where + ": '" + path + "' is not a property of " + type + "@" + version);
                }
            }
        }
        return problems;
    }

    /** Roles: the condition the template writes is the app's, from the same list. */
    static List<String> roles(JsonNode outlines, String appCondition, Collection<String> roleIds) {
        List<String> problems = new ArrayList<>();
        JsonNode variables = variablesOf(outlines, "main.bicep");
        String template = variables.path("poolRoleCondition").path("text").asText("");
        if (!variables.path("poolRoles").path("text").asText("").contains("loadJsonContent('pool-roles.json')")) {
            problems.add("main.bicep: poolRoles does not read pool-roles.json, the list the app reads");
        }
        String expanded = template.replaceAll("^'|'$", "").replace("\\'", "'")
                .replace("${poolRoleIds}", String.join(", ", roleIds));
        if (!expanded.equals(appCondition)) {
            problems.add("main.bicep: the role-assignment condition differs from PoolRole.condition():\n  template: "
                    + expanded + "\n  app:      " + appCondition);
        }
        return problems;
    }

    /** The app settings the template sets: the keys of the variables its appsettings resource unites. */
    static Set<String> templateSettings(JsonNode outlines) {
        Set<String> keys = new TreeSet<>();
        for (JsonNode file : outlines) {
            for (JsonNode resource : file.path("resources")) {
                if (!resource.path("type").asText().equalsIgnoreCase("Microsoft.Web/sites/config")
                        || !"appsettings".equals(resource.path("body").path("name").asText(null))) {
                    continue;
                }
                JsonNode literal = resource.path("body").path("properties");
                literal.fieldNames().forEachRemaining(keys::add);
                Matcher names = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*").matcher(
                        resource.path("text").path("properties").asText(""));
                while (names.find()) {
                    file.path("variables").path(names.group()).path("keys").forEach(key -> keys.add(key.asText()));
                }
            }
        }
        return keys;
    }

    /**
     * Settings: each the app reads is set by the template or documented as optional; the template sets nothing
     * the app does not read but the platform's, and none of the old plans' settings.
     */
    static List<String> settings(Set<String> template, Collection<String> appReads, Set<String> documentedOptional) {
        List<String> problems = new ArrayList<>();
        for (String name : appReads) {
            if (!template.contains(name) && !documentedOptional.contains(name)) {
                problems.add(name + ": the app reads it, the template does not set it, and docs/configuration.md"
                        + " does not give it a default");
            }
        }
        Set<String> known = new LinkedHashSet<>(appReads);
        for (String name : template) {
            if (NOT_ON_FLEX.contains(name)) {
                problems.add(name + ": not an app setting on Flex Consumption");
            } else if (!known.contains(name) && !PLATFORM_SETTING.matcher(name).matches()) {
                problems.add(name + ": the template sets it but nothing reads it");
            }
        }
        return problems;
    }

    private static JsonNode variablesOf(JsonNode outlines, String fileName) {
        for (JsonNode file : outlines) {
            if (file.path("file").asText().endsWith(fileName)) {
                return file.path("variables");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
