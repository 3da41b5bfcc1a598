package org.dsvmpools.functions;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.net.URI;
import java.util.Optional;
import org.dsvmpools.door.DoorSignIn;
import org.dsvmpools.door.IdentityProvider;
import org.dsvmpools.door.ReturnPath;
import org.dsvmpools.door.SignedInUser;

/** Who a browser at the door or the portal is: its session's user, or the answer that signs it in first. */
final class DoorAccess {
    static final String COOKIE = "dsvmpools_door";

    private DoorAccess() {
    }

    /** Exactly one of the two: the user, or what to answer instead. */
    record Visit(SignedInUser user, HttpResponseMessage answer) {
    }

    static Visit of(App app, HttpRequestMessage<?> request, ReturnPath returnTo, ExecutionContext context) {
        Optional<DoorSignIn> signIn = app.doorSignIn();
        if (signIn.isEmpty()) {
            return new Visit(null, noDoor(request));
        }
        Optional<SignedInUser> user = signIn.get().user(cookie(request).orElse(null));
        if (user.isPresent()) {
            return new Visit(user.get(), null);
        }
        try {
            return new Visit(null, DoorPages.redirect(request, signIn.get().begin(returnTo).toString(), null));
        } catch (IdentityProvider.Refused e) {
            context.getLogger().warning("front door: " + e.getMessage());
            return new Visit(null, DoorPages.refused(request, 503, "tenant-unreachable", "Sign-in unavailable",
                    e.getMessage() + " Try again in a minute."));
        }
    }

    /** Exactly one of the two: the pool an address names, or the page saying it names none. */
    record Named(org.dsvmpools.pool.PoolName pool, HttpResponseMessage refusal) {
    }

    /** The pool a door or portal address names: one rule, and one page, for both routes. */
    static Named poolName(HttpRequestMessage<?> request, String name) {
        Optional<String> invalid = org.dsvmpools.pool.PoolName.problem(name);
        return invalid.isPresent() ? new Named(null, DoorPages.refused(request, 400, "invalid-pool-name",
                "Not a pool's address", "'" + name + "' is not a pool's name: it " + invalid.get()
                        + ". Check the address you were given."))
                : new Named(new org.dsvmpools.pool.PoolName(name), null);
    }

    static HttpResponseMessage noDoor(HttpRequestMessage<?> request) {
        return DoorPages.refused(request, 404, "no-door", "No front door here", "This installation has no front"
                + " door: its operator has not set " + Settings.DOOR_CLIENT_ID + ".");
    }

    /**
     * A form post comes from the app's own pages: its {@code Origin} is the door's. The session cookie is
     * SameSite=Lax, so another site's form carries none; this refuses the rest (an old browser, a same-site
     * page on another port).
     */
    static boolean fromOurPages(App app, HttpRequestMessage<?> request) {
        String origin = Http.headers(request).get("origin");
        return origin != null && app.doorUrl().map(URI::create)
                .map(door -> origin.equals(door.getScheme() + "://" + door.getRawAuthority())).orElse(false);
    }

    /** The session cookie among the request's cookies (RFC 6265: {@code name=value} pairs split by "; "). */
    static Optional<String> cookie(HttpRequestMessage<?> request) {
        String header = Http.headers(request).get("cookie");
        if (header == null) {
            return Optional.empty();
        }
        for (String pair : header.split(";")) {
            String trimmed = pair.trim();
            if (trimmed.startsWith(COOKIE + "=")) {
                return Optional.of(trimmed.substring(COOKIE.length() + 1));
            }
        }
        return Optional.empty();
    }
}
