package org.dsvmpools.door;

import java.time.Instant;
import java.util.Optional;

/**
 * Sign-ins in flight and signed-in browsers, kept where every instance of the app finds them (Flex Consumption
 * runs many): the browser holds only a random key, and the store only the key's hash, so neither a stolen
 * table nor a log gives anyone a session.
 */
public interface DoorSessions {
    /** A sign-in sent to the tenant and not back yet. */
    record Pending(IdentityProvider.Started started, ReturnPath returnTo, Instant startedAt) {
    }

    /** A signed-in browser: who, until when. */
    record Session(SignedInUser user, Instant expiresAt) {
    }

    void savePending(Pending pending);

    /** The sign-in with this state, removed as it is read: a callback is redeemed once. */
    Optional<Pending> takePending(String state);

    void saveSession(String keyHash, Session session);

    Optional<Session> session(String keyHash);

    /**
     * Deletes sign-ins begun before {@code pendingBefore} (abandoned at the tenant) and sessions expired by
     * {@code now}, at most {@code most} of them: every visit without a session writes a row, so rows must go.
     *
     * @return how many were deleted
     */
    int prune(Instant pendingBefore, Instant now, int most);
}
