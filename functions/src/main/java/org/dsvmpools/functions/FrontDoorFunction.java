package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.util.Optional;
import org.dsvmpools.door.DoorAnswer;
import org.dsvmpools.door.DoorSignIn;
import org.dsvmpools.door.ReturnPath;
import org.dsvmpools.door.SignedInUser;
import org.dsvmpools.pool.PoolName;

/**
 * A pool's front door, {@code GET /api/p/{name}}, always open since the Function App serves it: signs the
 * browser in with Entra ID, then sends a user of the pool to its hub, or wakes the pool and shows a page that
 * waits, or says why not. {@code GET /api/door/signed-in} is the sign-in's callback. Anonymous at the platform:
 * the door's own sign-in is the check.
 */
public final class FrontDoorFunction {
    private final App app;

    public FrontDoorFunction() {
        this(App.get());
    }

    FrontDoorFunction(App app) {
        this.app = app;
    }

    @FunctionName("FrontDoor")
    public HttpResponseMessage arrive(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "p/{name}",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name,
            ExecutionContext context) {
        DoorAccess.Named named = DoorAccess.poolName(request, name);
        if (named.pool() == null) {
            return named.refusal();
        }
        PoolName pool = named.pool();
        DoorAccess.Visit visit = DoorAccess.of(app, request, ReturnPath.door(pool), context);
        if (visit.user() == null) {
            return visit.answer();
        }
        SignedInUser user = visit.user();
        DoorAnswer answer = app.frontDoor().arrive(pool, user);
        context.getLogger().info("front door: " + pool + " for " + user.objectId() + ": "
                + answer.getClass().getSimpleName());
        if (answer instanceof DoorAnswer.ToHub toHub) {
            return DoorPages.redirect(request, toHub.hub().toString(), null);
        }
        if (answer instanceof DoorAnswer.Waiting waiting) {
            return DoorPages.waiting(request, waiting.pool(), waiting.doing(), waiting.expectedReadyAt(),
                    waiting.problem(), app.clock().instant());
        }
        DoorAnswer.Refused refused = (DoorAnswer.Refused) answer;
        return DoorPages.refused(request, refused.status(), refused.reason(), refused.title(), refused.detail());
    }

    @FunctionName("FrontDoorSignedIn")
    public HttpResponseMessage signedIn(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "door/signed-in",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        Optional<DoorSignIn> signIn = app.doorSignIn();
        if (signIn.isEmpty()) {
            return DoorAccess.noDoor(request);
        }
        DoorSignIn.Finished finished = signIn.get().finish(request.getQueryParameters());
        if (finished instanceof DoorSignIn.Finished.Failed failed) {
            context.getLogger().warning("front door sign-in: " + failed.detail());
            return DoorPages.refused(request, failed.status(), "sign-in", failed.title(), failed.detail());
        }
        DoorSignIn.Finished.SignedIn done = (DoorSignIn.Finished.SignedIn) finished;
        String cookie = DoorAccess.COOKIE + "=" + done.key() + "; Path=/api; HttpOnly; SameSite=Lax; Max-Age="
                + DoorSignIn.SESSION_LIFETIME.toSeconds() + (app.doorIsHttps() ? "; Secure" : "");
        return DoorPages.redirect(request, done.returnTo().value(), cookie);
    }
}
