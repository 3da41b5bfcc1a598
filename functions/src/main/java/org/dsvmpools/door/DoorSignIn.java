package org.dsvmpools.door;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Signs a browser in at the front door and recognises it afterwards. One sign-in serves every pool: the pool
 * (or portal page) the user came for rides along with the sign-in, and the session is the user's.
 */
public final class DoorSignIn {
    /** How long a sign-in may take at the tenant: Entra's codes live ten minutes too. */
    public static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    /** A working day: the browser signs in again the next morning, and a removed user is refused at once anyway. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IdentityProvider tenant;
    private final DoorSessions sessions;
    private final Clock clock;

    public DoorSignIn(IdentityProvider tenant, DoorSessions sessions, Clock clock) {
        this.tenant = tenant;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Begins a sign-in for a user who came to {@code returnTo}: where to send their browser. */
    public URI begin(ReturnPath returnTo) {
        IdentityProvider.Started started = tenant.start();
        sessions.savePending(new DoorSessions.Pending(started, returnTo, clock.instant()));
        return started.authorize();
    }

    /** What a callback came to. */
    public sealed interface Finished {
        /** @param key the browser's session key (for its cookie) */
        record SignedIn(String key, ReturnPath returnTo, SignedInUser user, Instant expiresAt) implements Finished {
        }

        record Failed(int status, String title, String detail) implements Finished {
        }
    }

    public Finished finish(Map<String, String> callback) {
        String state = callback.getOrDefault("state", "");
        Optional<DoorSessions.Pending> pending = state.isEmpty() ? Optional.empty() : sessions.takePending(state);
        Instant now = clock.instant();
        if (pending.isEmpty() || pending.get().startedAt().plus(PENDING_LIFETIME).isBefore(now)) {
            return new Finished.Failed(400, "Sign-in not recognised", "This sign-in was not started here, or took"
                    + " longer than " + PENDING_LIFETIME.toMinutes() + " minutes. Open your pool's address again.");
        }
        SignedInUser user;
        try {
            user = tenant.finish(callback, pending.get().started());
        } catch (IdentityProvider.Refused e) {
            return new Finished.Failed(403, "Sign-in refused", e.getMessage() + " Open your pool's address to try"
                    + " again.");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant expires = now.plus(SESSION_LIFETIME);
        sessions.saveSession(hash(key), new DoorSessions.Session(user, expires));
        return new Finished.SignedIn(key, pending.get().returnTo(), user, expires);
    }

    /** The user a session key stands for, while the session lasts. */
    public Optional<SignedInUser> user(String key) {
        if (key == null || key.isBlank() || key.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return sessions.session(hash(key)).filter(session -> session.expiresAt().isAfter(now))
                .map(DoorSessions.Session::user);
    }

    /** Rows pruned per run at most: the recovery timer runs every few minutes, so this keeps well ahead. */
    static final int PRUNED_PER_RUN = 5_000;

    /** Deletes abandoned sign-ins and expired sessions; run by the recovery timer. */
    public int prune() {
        Instant now = clock.instant();
        return sessions.prune(now.minus(PENDING_LIFETIME), now, PRUNED_PER_RUN);
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
