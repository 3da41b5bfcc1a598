package org.dsvmpools.door;

import java.net.URI;
import java.util.Map;

/** The tenant's sign-in, as the front door uses it: an authorization code flow with PKCE. */
public interface IdentityProvider {
    /** A sign-in begun: where the browser goes, and what only this side knows until the callback. */
    record Started(URI authorize, String state, String nonce, String verifier) {
    }

    Started start();

    /**
     * Redeems the callback of a sign-in begun with {@code started}: its code, with the verifier, for an id token
     * whose signature, issuer, audience, time and nonce are checked.
     *
     * @param callback the callback's query parameters
     * @throws Refused with a message for the page when the tenant refused or the answer does not check
     */
    SignedInUser finish(Map<String, String> callback, Started started);

    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }
}
