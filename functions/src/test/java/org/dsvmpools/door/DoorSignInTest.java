package org.dsvmpools.door;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.dsvmpools.pool.PoolName;
import org.dsvmpools.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The door's sign-in bookkeeping: a callback is redeemed once, in time, and a session lasts a working day. */
class DoorSignInTest {
    private static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
    private static final SignedInUser ALICE = new SignedInUser("alice-oid", "alice@contoso.com", "alice@contoso.com", "");
    private final MutableClock clock = new MutableClock(T0);
    private final MemorySessions sessions = new MemorySessions();
    private int started;
    private String refusal;
    private final IdentityProvider tenant = new IdentityProvider() {
        @Override
        public Started start() {
            started++;
            return new Started(URI.create("https://login.example/authorize?state=s" + started), "s" + started,
                    "n" + started, "v" + started);
        }

        @Override
        public SignedInUser finish(Map<String, String> callback, Started begun) {
            if (refusal != null) {
                throw new Refused(refusal);
            }
            assertThat(callback.get("state")).isEqualTo(begun.state());
            return ALICE;
        }
    };
    private final DoorSignIn signIn = new DoorSignIn(tenant, sessions, clock);

    static final class MemorySessions implements DoorSessions {
        final Map<String, Pending> pending = new HashMap<>();
        final Map<String, Session> sessions = new HashMap<>();

        @Override
        public void savePending(Pending value) {
            pending.put(value.started().state(), value);
        }

        @Override
        public Optional<Pending> takePending(String state) {
            return Optional.ofNullable(pending.remove(state));
        }

        @Override
        public void saveSession(String keyHash, Session session) {
            sessions.put(keyHash, session);
        }

        @Override
        public Optional<Session> session(String keyHash) {
            return Optional.ofNullable(sessions.get(keyHash));
        }

        @Override
        public int prune(Instant pendingBefore, Instant now, int most) {
            int before = pending.size() + sessions.size();
            pending.values().removeIf(p -> p.startedAt().isBefore(pendingBefore));
            sessions.values().removeIf(s -> !s.expiresAt().isAfter(now));
            return before - pending.size() - sessions.size();
        }
    }

    @Test
    void aCallbackOfABegunSignInOpensASessionForThePoolItCameFor() {
        URI authorize = signIn.begin(ReturnPath.door(new PoolName("ml-team")));

        DoorSignIn.Finished finished = signIn.finish(Map.of("state", "s1", "code", "c"));

        assertThat(authorize.toString()).endsWith("state=s1");
        DoorSignIn.Finished.SignedIn done = (DoorSignIn.Finished.SignedIn) finished;
        assertThat(done.returnTo()).isEqualTo(ReturnPath.door(new PoolName("ml-team")));
        assertThat(done.expiresAt()).isEqualTo(T0.plus(DoorSignIn.SESSION_LIFETIME));
        assertThat(signIn.user(done.key())).contains(ALICE);
        assertThat(sessions.sessions).as("only the key's hash is stored").doesNotContainKey(done.key())
                .containsKey(DoorSignIn.hash(done.key()));
    }

    @Test
    void aCallbackIsRedeemedOnce() {
        signIn.begin(ReturnPath.door(new PoolName("ml-team")));
        signIn.finish(Map.of("state", "s1", "code", "c"));

        DoorSignIn.Finished replay = signIn.finish(Map.of("state", "s1", "code", "c"));

        assertThat(replay).isInstanceOf(DoorSignIn.Finished.Failed.class);
        assertThat(((DoorSignIn.Finished.Failed) replay).status()).isEqualTo(400);
    }

    @Test
    void aCallbackWithAStateNotBegunHereOrTooLateIsRefused() {
        signIn.begin(ReturnPath.door(new PoolName("ml-team")));
        assertThat(signIn.finish(Map.of("state", "forged", "code", "c")))
                .isInstanceOf(DoorSignIn.Finished.Failed.class);
        assertThat(signIn.finish(Map.of("code", "c"))).isInstanceOf(DoorSignIn.Finished.Failed.class);

        clock.advance(DoorSignIn.PENDING_LIFETIME.plusSeconds(1));
        DoorSignIn.Finished late = signIn.finish(Map.of("state", "s1", "code", "c"));

        assertThat(((DoorSignIn.Finished.Failed) late).detail()).contains("took longer than 10 minutes");
    }

    @Test
    void whatTheTenantRefusedIsSaidOnThePage() {
        signIn.begin(ReturnPath.door(new PoolName("ml-team")));
        refusal = "Microsoft Entra ID refused the sign-in: AADSTS50105: not assigned.";

        DoorSignIn.Finished.Failed failed = (DoorSignIn.Finished.Failed) signIn.finish(Map.of("state", "s1"));

        assertThat(failed.status()).isEqualTo(403);
        assertThat(failed.detail()).startsWith(refusal);
        assertThat(sessions.sessions).isEmpty();
    }

    @Test
    void pruningDeletesAbandonedSignInsAndEndedSessionsOnly() {
        signIn.begin(ReturnPath.PORTAL);
        signIn.begin(ReturnPath.PORTAL);
        String key = ((DoorSignIn.Finished.SignedIn) signIn.finish(Map.of("state", "s2"))).key();

        clock.advance(DoorSignIn.PENDING_LIFETIME.plusSeconds(1));
        assertThat(signIn.prune()).as("the abandoned s1").isEqualTo(1);
        assertThat(signIn.user(key)).isPresent();
        clock.advance(DoorSignIn.SESSION_LIFETIME);
        assertThat(signIn.prune()).isEqualTo(1);
        assertThat(sessions.sessions).isEmpty();
    }

    @Test
    void aSessionEndsAfterAWorkingDayAndAnUnknownOrOversizedKeyIsNobody() {
        signIn.begin(ReturnPath.door(new PoolName("ml-team")));
        String key = ((DoorSignIn.Finished.SignedIn) signIn.finish(Map.of("state", "s1"))).key();

        clock.advance(DoorSignIn.SESSION_LIFETIME);

        assertThat(signIn.user(key)).isEmpty();
        assertThat(signIn.user("not-a-session")).isEmpty();
        assertThat(signIn.user("x".repeat(101))).isEmpty();
        assertThat(signIn.user(null)).isEmpty();
    }
}
