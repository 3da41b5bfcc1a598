package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.dsvmpools.door.DoorPorts;
import org.dsvmpools.door.Portal;
import org.dsvmpools.door.ReturnPath;
import org.dsvmpools.pool.PoolName;

/**
 * The portal, behind the front door's sign-in: {@code GET /api/portal} lists the user's pools,
 * {@code GET /api/portal/{name}} shows one, and its owner's forms post to {@code .../users} (add) and
 * {@code .../users/{user}/remove}, from the portal's own pages only.
 */
public final class PortalFunction {
    /** A form with one email in it is far smaller; anything larger is not the portal's. */
    private static final int MAX_FORM_CHARS = 2048;
    private final App app;

    public PortalFunction() {
        this(App.get());
    }

    PortalFunction(App app) {
        this.app = app;
    }

    @FunctionName("Portal")
    public HttpResponseMessage pools(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "portal",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
            ExecutionContext context) {
        DoorAccess.Visit visit = DoorAccess.of(app, request, ReturnPath.PORTAL, context);
        if (visit.user() == null) {
            return visit.answer();
        }
        return PortalPages.pools(request, visit.user(), app.portal().poolsOf(visit.user()));
    }

    @FunctionName("PortalPool")
    public HttpResponseMessage pool(
            @HttpTrigger(name = "request", methods = {HttpMethod.GET}, route = "portal/{name}",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name,
            ExecutionContext context) {
        return withPool(request, name, context, (pool, visit) -> show(request, pool, visit, null, 200));
    }

    @FunctionName("PortalAddUser")
    public HttpResponseMessage addUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "portal/{name}/users",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name,
            ExecutionContext context) {
        return withPool(request, name, context, (pool, visit) -> {
            String body = request.getBody().orElse("");
            Optional<HttpResponseMessage> refused = refusedPost(request, body);
            if (refused.isPresent()) {
                return refused.get();
            }
            String email = form(body).getOrDefault("email", "").trim();
            return changed(request, pool, visit, app.portal().add(pool, visit.user(), email));
        });
    }

    @FunctionName("PortalRemoveUser")
    public HttpResponseMessage removeUser(
            @HttpTrigger(name = "request", methods = {HttpMethod.POST}, route = "portal/{name}/users/{user}/remove",
                    authLevel = AuthorizationLevel.ANONYMOUS) HttpRequestMessage<Optional<String>> request,
            @BindingName("name") String name,
            @BindingName("user") String user,
            ExecutionContext context) {
        return withPool(request, name, context, (pool, visit) -> {
            Optional<HttpResponseMessage> refused = refusedPost(request, request.getBody().orElse(""));
            return refused.orElseGet(() -> changed(request, pool, visit, app.portal().remove(pool, visit.user(), user)));
        });
    }

    private interface PoolHandler {
        HttpResponseMessage handle(PoolName pool, DoorAccess.Visit visit);
    }

    private HttpResponseMessage withPool(HttpRequestMessage<?> request, String name, ExecutionContext context,
                                         PoolHandler handler) {
        DoorAccess.Named named = DoorAccess.poolName(request, name);
        if (named.pool() == null) {
            return named.refusal();
        }
        PoolName pool = named.pool();
        DoorAccess.Visit visit = DoorAccess.of(app, request, ReturnPath.portal(pool), context);
        return visit.user() == null ? visit.answer() : handler.handle(pool, visit);
    }

    private HttpResponseMessage show(HttpRequestMessage<?> request, PoolName pool, DoorAccess.Visit visit,
                                     String notice, int status) {
        Portal.View view = app.portal().pool(pool, visit.user());
        if (view instanceof Portal.View.Refused refused) {
            return DoorPages.refused(request, refused.status(), refused.reason(), refused.title(), refused.detail());
        }
        return PortalPages.pool(request, (Portal.View.Shown) view, notice, status);
    }

    private HttpResponseMessage changed(HttpRequestMessage<?> request, PoolName pool, DoorAccess.Visit visit,
                                        DoorPorts.RosterChanges.Change change) {
        // A change refused (a bad address, the roster full) is the same page with why, answered 400.
        return show(request, pool, visit, change.message(), change.done() ? 200 : 400);
    }

    private Optional<HttpResponseMessage> refusedPost(HttpRequestMessage<?> request, String body) {
        if (!DoorAccess.fromOurPages(app, request)) {
            return Optional.of(DoorPages.refused(request, 403, "cross-site", "Not from the portal", "This change"
                    + " did not come from the portal's own page, so it was not made. Open the portal and try again."));
        }
        if (body.length() > MAX_FORM_CHARS) {
            return Optional.of(DoorPages.refused(request, 413, "too-large", "Too large", "The form is larger than"
                    + " the portal's forms are."));
        }
        return Optional.empty();
    }

    /** {@code application/x-www-form-urlencoded}, as a browser sends a form (HTML's URL-encoded form data). */
    static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            try {
                fields.putIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException malformed) {
                // A broken escape is no field.
            }
        }
        return fields;
    }
}
