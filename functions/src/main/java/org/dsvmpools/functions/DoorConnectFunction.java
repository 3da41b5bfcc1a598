package org.dsvmpools.functions;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.azure.EntraAccessTokens;
import org.dsvmpools.door.DoorAnswer;
import org.dsvmpools.door.SignedInUser;

/**
 * The front door for {@code dsvmpools connect}, the SSH client: {@code GET /api/door/connect} tells it how to
 * sign in (the tenant, the door's client id, the scope), and {@code POST /api/p/{name}/connect}, with the user's
 * token, answers as the browser's door does: the pool's SSH address once a seat is free (200), or a wait (202
 * with {@code Retry-After}) after waking it, or why not (problem+json). Anonymous at the platform: the token is
 * the check.
 */
public final class DoorConnectFunction {
    /** How often the client asks again while it waits: the waiting page's refresh. */
    static final int RETRY_AFTER_SECONDS = 5;
    private final App app;

    public DoorConnectFunction() {
        this(App.get());
    }

    DoorConnectFunction(App app) {
        this.app = app;
    }

    @FunctionName("DoorConnectSettings")
    public HttpResponseMessage settings(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "door/connect",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request) {
        Optional<App.DoorConnect> connect = app.doorConnect();
        if (connect.isEmpty()) {
            return Http.problem(request, noDoor());
        }
        return Http.json(request, 200, JsonNodeFactory.instance.objectNode()
                .put("authority", connect.get().authority()).put("clientId", connect.get().clientId())
                .put("scope", connect.get().scopes()));
    }

    @FunctionName("DoorConnect")
    public HttpResponseMessage connect(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "p/{name}/connect",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name,
            ExecutionContext context) {
        Optional<App.DoorConnect> connect = app.doorConnect();
        if (connect.isEmpty()) {
            return Http.problem(request, noDoor());
        }
        EntraAccessTokens.Holder holder;
        try {
            holder = connect.get().tokens().holderOf(Http.headers(request).get("authorization"));
        } catch (EntraAccessTokens.RejectedTokenException e) {
            return Http.problem(request, Problem.of(401, "unauthenticated", "Unauthenticated", e.getMessage()
                    + "; sign in again with dsvmpools connect --sign-in"));
        }
        return Http.withPoolName(request, name, pool -> {
            SignedInUser user = new SignedInUser(holder.objectId(), holder.email(), holder.signInName(),
                    holder.name(), holder.roles());
            DoorAnswer answer = app.frontDoor().connect(pool, user);
            context.getLogger().info("front door (ssh): " + pool + " for " + user.objectId() + ": "
                    + answer.getClass().getSimpleName());
            if (answer instanceof DoorAnswer.ToSsh ssh) {
                return Http.json(request, 200, JsonNodeFactory.instance.objectNode().put("state", "ready")
                        .put("host", ssh.host()).put("port", ssh.port()).put("user", ssh.user()));
            }
            if (answer instanceof DoorAnswer.Waiting waiting) {
                ObjectNode body = JsonNodeFactory.instance.objectNode().put("state", "waiting")
                        .put("pool", waiting.pool()).put("doing", waiting.doing());
                if (waiting.expectedReadyAt() != null) {
                    body.put("expectedReadyAt", waiting.expectedReadyAt().toString());
                }
                if (waiting.problem() != null) {
                    body.put("problem", waiting.problem());
                }
                return request.createResponseBuilder(HttpStatusType.custom(202)).header("Content-Type", Http.JSON)
                        .header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)).body(body.toString()).build();
            }
            DoorAnswer.Refused refused = (DoorAnswer.Refused) answer;
            return Http.problem(request, Problem.of(refused.status(), refused.reason(), refused.title(),
                    refused.detail()));
        });
    }

    private static Problem noDoor() {
        return Problem.of(404, "no-front-door", "No front door", "this installation has no front door: its"
                + " operator has not set " + Settings.DOOR_CLIENT_ID);
    }
}
