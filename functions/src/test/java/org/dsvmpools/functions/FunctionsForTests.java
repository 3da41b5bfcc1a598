package org.dsvmpools.functions;

import com.microsoft.azure.functions.HttpResponseMessage;
import org.dsvmpools.testing.Requests;

/** The trigger classes, for integration tests of adapters in other packages. */
public final class FunctionsForTests {
    private FunctionsForTests() {
    }

    public static HttpResponseMessage reportUsage(App app, String body, String bearer) {
        var request = Requests.postJson("/api/usage", body);
        return new ReportUsageFunction(app).run(bearer == null ? request
                : request.withHeader("Authorization", "Bearer " + bearer),
                new org.dsvmpools.kit.InvocationContext("ReportUsage"));
    }

    public static HttpResponseMessage getPool(App app, String name) {
        return new GetPoolFunction(app).run(Requests.get("/api/pools/" + name), name);
    }

    public static void ingestUsage(App app, String message) {
        new IngestUsageFunction(app).run(message, new org.dsvmpools.kit.InvocationContext("IngestUsage"));
    }
}
