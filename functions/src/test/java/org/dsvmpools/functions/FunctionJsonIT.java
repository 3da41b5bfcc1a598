package org.dsvmpools.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads the deployable staging folder that {@code mvn package} wrote with azure-functions-maven-plugin: what
 * Azure will run is what these files say, so the routes, methods, auth levels and queue names are checked
 * there rather than in the annotations.
 */
class FunctionJsonIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path staging;
    private static Map<String, JsonNode> functions;

    @BeforeAll
    static void readStagingFolder() throws IOException {
        staging = Paths.get(System.getProperty("dsvmpools.stagingDirectory", "target/azure-functions/dsvmpools"));
        functions = new TreeMap<>();
        try (Stream<Path> files = Files.list(staging)) {
            for (Path dir : files.filter(Files::isDirectory).filter(d -> Files.exists(d.resolve("function.json")))
                    .toList()) {
                functions.put(dir.getFileName().toString(), JSON.readTree(dir.resolve("function.json").toFile()));
            }
        }
    }

    @Test
    void theStagingFolderHoldsHostJsonTheJarAndItsLibraries() throws IOException {
        JsonNode host = JSON.readTree(staging.resolve("host.json").toFile());
        assertThat(host.path("extensionBundle").path("version").asText()).isEqualTo("[4.*, 5.0.0)");
        assertThat(host.path("extensions").path("queues").path("maxDequeueCount").asInt())
                .as("the worker marks its pool Failed on the last attempt the host allows")
                .isEqualTo(ProvisionPoolFunction.MAX_DEQUEUE_COUNT);
        try (Stream<Path> lib = Files.list(staging.resolve("lib"))) {
            List<String> jars = lib.map(p -> p.getFileName().toString()).toList();
            assertThat(jars).anyMatch(jar -> jar.startsWith("azure-data-tables"));
            assertThat(jars).anyMatch(jar -> jar.startsWith("azure-core-http-jdk-httpclient"));
            assertThat(jars).noneMatch(jar -> jar.contains("netty"));
        }
    }

    @Test
    void everyFunctionHasTheExpectedTrigger() {
        assertThat(functions).containsOnlyKeys("CreatePool", "GetPool", "ListPools", "DeletePool", "RetryPool",
                "RecoverStuckPools", "ProvisionPool", "ScalePools", "WakePool", "WakeWorker", "IngestUsage", "PatchPool",
                "OnboardUsers", "AddPoolUser", "RemovePoolUser", "ListPoolUsers", "ReconcileRosters", "ReportUsage",
                "FrontDoor", "FrontDoorSignedIn", "Portal", "PortalPool", "PortalAddUser", "PortalRemoveUser",
                "Health", "OpenApi", "DoorConnectSettings", "DoorConnect");
        assertThat(trigger("OnboardUsers").path("type").asText()).isEqualTo("eventGridTrigger");
    }

    @Test
    void httpFunctionsHaveTheirRoutesMethodsAndFunctionKeyAuthButTheAgentsRoute() {
        assertThat(http("CreatePool")).isEqualTo(List.of("pools", "POST", "FUNCTION"));
        assertThat(http("ListPools")).isEqualTo(List.of("pools", "GET", "FUNCTION"));
        assertThat(http("GetPool")).isEqualTo(List.of("pools/{name}", "GET", "FUNCTION"));
        assertThat(http("DeletePool")).isEqualTo(List.of("pools/{name}", "DELETE", "FUNCTION"));
        assertThat(http("RetryPool")).isEqualTo(List.of("pools/{name}/retry", "POST", "FUNCTION"));
        assertThat(http("WakePool")).isEqualTo(List.of("pools/{name}/wake", "POST", "FUNCTION"));
        assertThat(http("PatchPool")).isEqualTo(List.of("pools/{name}", "PATCH", "FUNCTION"));
        assertThat(http("AddPoolUser")).isEqualTo(List.of("pools/{name}/users", "POST", "FUNCTION"));
        assertThat(http("ListPoolUsers")).isEqualTo(List.of("pools/{name}/users", "GET", "FUNCTION"));
        assertThat(http("RemovePoolUser")).isEqualTo(List.of("pools/{name}/users/{user}", "DELETE", "FUNCTION"));
        assertThat(http("ReportUsage")).as("the VMs hold no key: their managed-identity token is the credential")
                .isEqualTo(List.of("usage", "POST", "ANONYMOUS"));
        // Browsers hold no key: the door's own Entra sign-in and session are the credential (#29).
        assertThat(http("FrontDoor")).isEqualTo(List.of("p/{name}", "GET", "ANONYMOUS"));
        assertThat(http("FrontDoorSignedIn")).isEqualTo(List.of("door/signed-in", "GET", "ANONYMOUS"));
        assertThat(http("Portal")).isEqualTo(List.of("portal", "GET", "ANONYMOUS"));
        assertThat(http("PortalPool")).isEqualTo(List.of("portal/{name}", "GET", "ANONYMOUS"));
        assertThat(http("PortalAddUser")).isEqualTo(List.of("portal/{name}/users", "POST", "ANONYMOUS"));
        // dsvmpools connect holds no key: the user's Entra token for the door's API is the credential (#29).
        assertThat(http("DoorConnectSettings")).isEqualTo(List.of("door/connect", "GET", "ANONYMOUS"));
        assertThat(http("DoorConnect")).isEqualTo(List.of("p/{name}/connect", "POST", "ANONYMOUS"));
        assertThat(http("Health")).isEqualTo(List.of("health", "GET", "ANONYMOUS"));
        assertThat(http("OpenApi")).isEqualTo(List.of("openapi.json", "GET", "ANONYMOUS"));
        assertThat(http("PortalRemoveUser")).isEqualTo(List.of("portal/{name}/users/{user}/remove", "POST",
                "ANONYMOUS"));
    }

    @Test
    void theRecoveryTimerReadsItsScheduleFromAnAppSetting() {
        JsonNode trigger = trigger("RecoverStuckPools");
        assertThat(trigger.path("type").asText()).isEqualTo("timerTrigger");
        assertThat(trigger.path("schedule").asText()).isEqualTo("%DSVMPOOLS_RECOVERY_SCHEDULE%");
        assertThat(trigger("ScalePools").path("schedule").asText()).isEqualTo("%DSVMPOOLS_SCALE_SCHEDULE%");
    }

    @Test
    void theWorkerIsTriggeredByThePoolRequestsQueueOverTheAppsStorage() {
        JsonNode trigger = trigger("ProvisionPool");
        assertThat(trigger.path("type").asText()).isEqualTo("queueTrigger");
        assertThat(trigger.path("queueName").asText()).isEqualTo("pool-requests");
        assertThat(trigger.path("connection").asText()).isEqualTo("AzureWebJobsStorage");
    }

    @Test
    void queueBindingsNameOnlyThePoolRequestsWakeAndUsageQueues() {
        List<String> queueNames = new ArrayList<>();
        functions.values().forEach(function -> function.path("bindings").forEach(binding -> {
            if (binding.path("type").asText().startsWith("queue")) {
                queueNames.add(binding.path("queueName").asText());
            }
        }));
        // The intake and the worker's follow-ups write to pool-requests through the Storage SDK (so they know
        // whether the write worked, and can delay visibility); the worker's trigger is the only binding.
        assertThat(queueNames).containsExactlyInAnyOrder("pool-requests", "pool-wakes", "usage-reports");
        assertThat(functions.get("CreatePool").path("bindings")).noneMatch(b -> b.path("type").asText().equals("queue"));
    }

    private static List<String> http(String function) {
        JsonNode trigger = trigger(function);
        assertThat(trigger.path("type").asText()).isEqualTo("httpTrigger");
        assertThat(trigger.path("methods")).hasSize(1);
        return List.of(trigger.path("route").asText(), trigger.path("methods").get(0).asText(),
                trigger.path("authLevel").asText());
    }

    private static JsonNode trigger(String function) {
        for (JsonNode binding : functions.get(function).path("bindings")) {
            if (binding.path("type").asText().endsWith("Trigger")) {
                return binding;
            }
        }
        throw new AssertionError(function + " has no trigger binding");
    }
}
