package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.onboarding.MemberJson;

/** {@code GET /api/pools/{name}/users}: the roster with each user's state (Pending, Ready, Removed). */
public final class ListPoolUsersFunction {
    private final App app;

    public ListPoolUsersFunction() {
        this(App.get());
    }

    ListPoolUsersFunction(App app) {
        this.app = app;
    }

    @FunctionName("ListPoolUsers")
    public HttpResponseMessage run(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "pools/{name}/users",
                    authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name) {
        return Http.asCaller(app, request, caller -> Http.withPoolName(request, name, pool ->
                app.onboarding().members(pool)
                        .map(members -> Http.json(request, 200, JsonNodeFactory.instance.objectNode()
                                .put("pool", pool.value()).set("users", MemberJson.write(members,
                                        app.hubSignsInWithEntra()))))
                        .orElseGet(() -> Http.problem(request, Http.poolNotFound(pool.value())))));
    }
}
