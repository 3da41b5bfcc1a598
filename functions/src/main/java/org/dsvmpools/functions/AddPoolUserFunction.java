package org.dsvmpools.functions;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.time.Clock;
import java.util.Optional;
import org.dsvmpools.onboarding.NewUserJson;

/**
 * {@code POST /api/pools/{name}/users}: a user as events carry it, for the pool's owner or an admin. The change is
 * ordered with events by the time it is made.
 */
public final class AddPoolUserFunction {
    private final App app;
    private final Clock clock;

    public AddPoolUserFunction() {
        this(App.get());
    }

    AddPoolUserFunction(App app) {
        this.app = app;
        this.clock = app.clock();
    }

    @FunctionName("AddPoolUser")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "pools/{name}/users",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name) {
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, pool -> {
            JsonBody.Parsed body = JsonBody.read(Http.headers(request).get("content-type"),
                    request.getBody().orElse(""), "the user");
            if (body.problem() != null) {
                return Http.problem(request, body.problem());
            }
            if (!app.onboarding().mayManage(pool, caller)) {
                return UserResponses.forbidden(request, pool);
            }
            NewUserJson.Result user = NewUserJson.read(body.document(), "");
            if (!user.isValid()) {
                return Http.problem(request, Problem.invalid("the user is invalid", user.errors()));
            }
            return UserResponses.of(request, pool, app.onboarding().add(pool, user.user(), clock.instant()),
                    app.hubSignsInWithEntra());
        }));
    }
}
