package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.azure.EntraAccessTokens;
import org.dsvmpools.pool.Caller;
import org.dsvmpools.pool.WorkItemJson;
import org.dsvmpools.scaling.UsageIngestion;
import org.dsvmpools.scaling.UsageReportJson;

/**
 * {@code POST /api/usage}: a VM agent's report over HTTPS, with the instance's managed-identity token for the
 * usage audience as its only credential (no key on the VM, so the route is anonymous to the Functions host). The
 * report is stored only when the token's principal is the identity of the instances of the pool it names: a VM
 * speaks for its own pool only. Refusals are counted on the pool claimed, which GET shows.
 */
public final class ReportUsageFunction {
    private final App app;

    public ReportUsageFunction() {
        this(App.get());
    }

    ReportUsageFunction(App app) {
        this.app = app;
    }

    @FunctionName("ReportUsage")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "usage",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        Optional<EntraAccessTokens> tokens = app.usageSenders();
        if (tokens.isEmpty()) {
            return Http.problem(request, Problem.of(404, "usage-over-https-off", "Usage reports over HTTPS are off",
                    "this installation has no " + Settings.USAGE_AUDIENCE + "; its agents report to the usage queue"));
        }
        Caller sender;
        try {
            sender = tokens.get().fromAuthorization(Http.headers(request).get("authorization"));
        } catch (EntraAccessTokens.RejectedTokenException e) {
            context.getLogger().warning("usage report without an acceptable token: " + e.getMessage());
            return Http.problem(request, Problem.of(401, "unauthenticated", "Unauthenticated", e.getMessage()));
        }
        String body = request.getBody().orElse("");
        if (UsageReportJson.tooLarge(body)) {
            return Http.problem(request, Problem.of(413, "report-too-large", "The report is too large",
                    "a usage report is at most " + UsageReportJson.MAX_BYTES + " bytes"));
        }
        UsageIngestion.Outcome outcome;
        try {
            outcome = app.usage().ingestFrom(body, sender.id(), app.reportSenders());
        } catch (WorkItemJson.UnreadableMessageException unreadable) {
            return Http.problem(request, Problem.of(400, "invalid-report", "The report is not valid",
                    unreadable.getMessage()));
        }
        if (outcome instanceof UsageIngestion.Outcome.Refused refused) {
            context.getLogger().warning("usage report refused: " + refused.recorded());
            return Http.problem(request, Problem.of(403, "report-refused", "Report refused", refused.answer()));
        }
        if (outcome instanceof UsageIngestion.Outcome.Dropped dropped) {
            context.getLogger().info("usage report dropped: " + dropped.reason());
            return Http.problem(request, Problem.of(409, "report-dropped", "Report dropped", dropped.reason()));
        }
        return request.createResponseBuilder(HttpStatus.ACCEPTED).build();
    }
}
