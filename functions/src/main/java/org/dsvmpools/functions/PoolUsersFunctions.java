package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.dsvmpools.onboarding.MemberJson;
import org.dsvmpools.onboarding.NewUserJson;
import org.dsvmpools.onboarding.Onboarding;
import org.dsvmpools.pool.FieldError;
import org.dsvmpools.pool.LinuxUserName;
import org.dsvmpools.pool.PoolName;

/**
 * The roster over HTTP, for admins: {@code POST /api/pools/{name}/users} (the user as events carry it),
 * {@code DELETE /api/pools/{name}/users/{user}}, {@code GET /api/pools/{name}/users}. A change made here is
 * ordered with events by the time it is made. Changes are for the pool's owner or an admin (403 otherwise).
 */
public final class PoolUsersFunctions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final App app;
    private final Clock clock;

    public PoolUsersFunctions() {
        this(App.get(), Clock.systemUTC());
    }

    PoolUsersFunctions(App app, Clock clock) {
        this.app = app;
        this.clock = clock;
    }

    @FunctionName("AddPoolUser")
    public HttpResponseMessage add(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "pools/{name}/users",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name, ExecutionContext context) {
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, pool -> {
            JsonBody.Parsed body = JsonBody.read(Http.headers(request).get("content-type"),
                    request.getBody().orElse(""), "the user");
            if (body.problem() != null) {
                return Http.problem(request, body.problem());
            }
            if (!app.onboarding().mayManage(pool, caller)) {
                return forbidden(request, pool);
            }
            NewUserJson.Result user = NewUserJson.read(body.document(), "");
            if (!user.isValid()) {
                return Http.problem(request, Problem.invalid("the user is invalid", user.errors()));
            }
            return respond(request, pool, app.onboarding().add(pool, user.user(), clock.instant()));
        }));
    }

    @FunctionName("RemovePoolUser")
    public HttpResponseMessage remove(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, route = "pools/{name}/users/{user}",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name, @BindingName("user") String user, ExecutionContext context) {
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, pool -> {
            Optional<String> problem = LinuxUserName.problem(user);
            if (problem.isPresent()) {
                return Http.problem(request, Problem.invalid("the user name is invalid",
                        List.of(new FieldError("/user", problem.get()))));
            }
            if (!app.onboarding().mayManage(pool, caller)) {
                return forbidden(request, pool);
            }
            LinuxUserName userName = new LinuxUserName(user);
            if (app.onboarding().lacksUser(pool, userName)) {
                return Http.problem(request, Problem.of(404, "user-not-found", "User not found",
                        "pool '" + pool + "' has no user '" + user + "'"));
            }
            return respond(request, pool, app.onboarding().remove(pool, userName, clock.instant()));
        }));
    }

    @FunctionName("ListPoolUsers")
    public HttpResponseMessage list(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "pools/{name}/users",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name, ExecutionContext context) {
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, pool ->
                app.onboarding().members(pool)
                        .map(members -> Http.json(request, 200, JSON.createObjectNode().put("pool", pool.value())
                                .set("users", MemberJson.write(members))))
                        .orElseGet(() -> Http.problem(request, Http.poolNotFound(pool.value())))));
    }

    private static HttpResponseMessage forbidden(HttpRequestMessage<?> request, PoolName pool) {
        return Http.problem(request, Problem.of(403, "forbidden", "Forbidden", "only the owner of pool '" + pool
                + "' or an admin may change its users"));
    }

    private static HttpResponseMessage respond(HttpRequestMessage<?> request, PoolName pool,
                                               Onboarding.Outcome outcome) {
        if (outcome instanceof Onboarding.Outcome.Done done) {
            return Http.json(request, 200, MemberJson.write(done.member()));
        }
        if (outcome instanceof Onboarding.Outcome.Unchanged unchanged) {
            return Http.json(request, 200, MemberJson.write(unchanged.member()));
        }
        if (outcome instanceof Onboarding.Outcome.PoolNotReady notReady) {
            return Http.problem(request, Problem.of(409, "pool-not-ready", "Pool is not Ready", "pool '" + pool
                    + "' is " + notReady.status() + "; users are added to Ready pools"));
        }
        if (outcome instanceof Onboarding.Outcome.NameTaken taken) {
            return Http.problem(request, Problem.of(409, "name-taken", "User name taken", "'" + taken.name()
                    + "' belongs to another user of the pool; give this user a name"));
        }
        return Http.problem(request, Http.poolNotFound(pool.value()));
    }
}
