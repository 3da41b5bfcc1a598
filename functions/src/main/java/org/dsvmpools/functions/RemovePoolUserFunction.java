package org.dsvmpools.functions;

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
import org.dsvmpools.pool.FieldError;
import org.dsvmpools.pool.LinuxUserName;

/** {@code DELETE /api/pools/{name}/users/{user}}: the user's account locked and folder archived, nothing deleted. */
public final class RemovePoolUserFunction {
    private final App app;
    private final Clock clock;

    public RemovePoolUserFunction() {
        this(App.get());
    }

    RemovePoolUserFunction(App app) {
        this.app = app;
        this.clock = app.clock();
    }

    @FunctionName("RemovePoolUser")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.DELETE}, route = "pools/{name}/users/{user}",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name, @BindingName("user") String user) {
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, pool -> {
            Optional<String> problem = LinuxUserName.problem(user);
            if (problem.isPresent()) {
                return Http.problem(request, Problem.invalid("the user name is invalid",
                        List.of(new FieldError("/user", problem.get()))));
            }
            if (!app.onboarding().mayManage(pool, caller)) {
                return UserResponses.forbidden(request, pool);
            }
            LinuxUserName userName = new LinuxUserName(user);
            if (app.onboarding().lacksUser(pool, userName)) {
                return Http.problem(request, Problem.of(404, "user-not-found", "User not found",
                        "pool '" + pool + "' has no user '" + user + "'"));
            }
            return UserResponses.of(request, pool, app.onboarding().remove(pool, userName, clock.instant()),
                    app.hubSignsInWithEntra());
        }));
    }
}
