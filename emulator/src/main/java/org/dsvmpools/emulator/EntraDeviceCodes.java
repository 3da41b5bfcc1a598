package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entra's device authorization grant (Microsoft identity platform, "OAuth 2.0 device authorization grant"; RFC
 * 8628): {@code POST /{tenant}/oauth2/v2.0/devicecode} gives a device code and a short user code that live
 * {@link #LIFETIME}; the user types the code at the verification page and signs in there; until then the
 * client's poll of the token endpoint is {@code authorization_pending} (AADSTS70016), an unknown device code
 * {@code bad_verification_code} (AADSTS70018), an old one {@code expired_token} (AADSTS70019), and the code is
 * redeemed once. The public-client check and the tokens are {@link EntraApi}'s.
 */
final class EntraDeviceCodes {
    /** "From the moment the request is sent, the user has 15 minutes to sign in" (the default expires_in). */
    static final Duration LIFETIME = Duration.ofMinutes(15);
    /** The documented polling interval, in seconds. */
    static final int INTERVAL = 5;
    /** Entra's user codes are nine letters and digits without look-alikes (e.g. GQ8EWT5GD). */
    private static final String USER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final Map<String, Pending> byDeviceCode = new ConcurrentHashMap<>();
    private final Map<String, Pending> byUserCode = new ConcurrentHashMap<>();

    /** A device code until it is redeemed: whom it is for, and who signed in for it. */
    static final class Pending {
        final String clientId;
        final String scope;
        final String userCode;
        final Instant issued;
        private JsonNode user;
        private boolean redeemed;

        Pending(String clientId, String scope, String userCode, Instant issued) {
            this.clientId = clientId;
            this.scope = scope;
            this.userCode = userCode;
            this.issued = issued;
        }
    }

    /**
     * What a poll of the token endpoint finds: the user who signed in, or Entra's error.
     *
     * @param error the OAuth error ({@code authorization_pending}, ...), null on success; {@code code} and
     *              {@code message} are Entra's AADSTS code and text for it
     */
    record Poll(JsonNode user, String scope, String error, String code, String message) {
        static Poll refused(String error, String code, String message) {
            return new Poll(null, null, error, code, message);
        }
    }

    EntraDeviceCodes(Clock clock) {
        this.clock = clock;
    }

    /** A new device code for {@code clientId} and {@code scope} (both checked by the caller). */
    ObjectNode begin(String clientId, String scope, String verificationUri) {
        String deviceCode = EntraApi.random(48);
        String userCode = userCode();
        Pending pending = new Pending(clientId, scope, userCode, clock.instant());
        byDeviceCode.put(deviceCode, pending);
        byUserCode.put(userCode, pending);
        return JSON.createObjectNode().put("user_code", userCode).put("device_code", deviceCode)
                .put("verification_uri", verificationUri).put("expires_in", LIFETIME.toSeconds())
                .put("interval", INTERVAL).put("message", "To sign in, use a web browser to open the page "
                        + verificationUri + " and enter the code " + userCode + " to authenticate.");
    }

    /** The pending request a user code names, while it lives. */
    Optional<Pending> byUserCode(String typed) {
        Pending pending = byUserCode.get(typed.strip().toUpperCase(Locale.ROOT));
        return pending == null || expired(pending) ? Optional.empty() : Optional.of(pending);
    }

    /** The user signed in at the verification page for this request. */
    void approve(Pending pending, JsonNode user) {
        synchronized (pending) {
            pending.user = user;
        }
    }

    /** The client's poll: the signed-in user once, or why not. */
    Poll poll(String deviceCode, String clientId) {
        Pending pending = byDeviceCode.get(deviceCode == null ? "" : deviceCode);
        if (pending == null || !pending.clientId.equalsIgnoreCase(clientId)) {
            return Poll.refused("bad_verification_code", "AADSTS70018", "Invalid verification code due to User"
                    + " typing in wrong user code for device code flow.");
        }
        if (expired(pending)) {
            return Poll.refused("expired_token", "AADSTS70019", "Verification code expired.");
        }
        synchronized (pending) {
            if (pending.user == null) {
                return Poll.refused("authorization_pending", "AADSTS70016", "OAuth 2.0 device flow error."
                        + " Authorization is pending. Continue polling.");
            }
            if (pending.redeemed) {
                return Poll.refused("invalid_grant", "AADSTS54005", "OAuth2 Authorization code was already"
                        + " redeemed, please retry with a new valid code or use an existing refresh token.");
            }
            pending.redeemed = true;
            byUserCode.remove(pending.userCode);
            return new Poll(pending.user, pending.scope, null, null, null);
        }
    }

    private boolean expired(Pending pending) {
        return !pending.issued.plus(LIFETIME).isAfter(clock.instant());
    }

    private static String userCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            code.append(USER_CODE_ALPHABET.charAt(RANDOM.nextInt(USER_CODE_ALPHABET.length())));
        }
        return code.toString();
    }
}
