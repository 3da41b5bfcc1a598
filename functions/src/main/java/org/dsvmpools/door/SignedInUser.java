package org.dsvmpools.door;

import java.util.Objects;
import java.util.Set;

/**
 * Who the front door signed in, from the id token Entra issued for it.
 *
 * @param objectId   the account's Entra object id ({@code oid})
 * @param email      the {@code email} claim, or empty: Entra leaves it out for accounts without a mailbox
 * @param signInName the {@code preferred_username} claim (the user principal name, for work accounts)
 * @param roles      the door app's roles assigned to the account ({@code roles}: {@code Pools.Admin} for the
 *                   installation's admins)
 */
public record SignedInUser(String objectId, String email, String signInName, String displayName, Set<String> roles) {
    public SignedInUser {
        Objects.requireNonNull(objectId, "objectId");
        email = email == null ? "" : email;
        signInName = signInName == null ? "" : signInName;
        displayName = displayName == null ? "" : displayName;
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    public SignedInUser(String objectId, String email, String signInName, String displayName) {
        this(objectId, email, signInName, displayName, Set.of());
    }

    /** What a page calls the user: the sign-in name, else the email, else the object id. */
    public String shownAs() {
        return !signInName.isBlank() ? signInName : !email.isBlank() ? email : objectId;
    }
}
