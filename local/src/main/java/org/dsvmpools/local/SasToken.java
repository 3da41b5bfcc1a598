package org.dsvmpools.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Event Grid's shared access signature: {@code r=<resource>&e=<expiry>&s=<signature>}, the signature being
 * HMAC-SHA256, under the base64-decoded topic key, of {@code r=...&e=...} exactly as sent (as
 * EventGridPublisherClient.generateSas makes it; expiry as {@code M/d/yyyy h:m:s a}, UTC).
 */
final class SasToken {
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("M/d/yyyy h:m:s a", Locale.US);

    private SasToken() {
    }

    static boolean isValid(String token, String topicKey, java.time.Instant now) {
        int signatureAt = token.lastIndexOf("&s=");
        if (!token.startsWith("r=") || signatureAt < 0 || !token.contains("&e=")) {
            return false;
        }
        String signed = token.substring(0, signatureAt);
        String signature = URLDecoder.decode(token.substring(signatureAt + 3), StandardCharsets.UTF_8);
        String expiry = URLDecoder.decode(signed.substring(signed.indexOf("&e=") + 3), StandardCharsets.UTF_8);
        try {
            if (LocalDateTime.parse(expiry, EXPIRY).toInstant(ZoneOffset.UTC).isBefore(now)) {
                return false;
            }
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(Base64.getDecoder().decode(topicKey), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(hmac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
            return Exchanges.constantTimeEquals(expected, signature);
        } catch (DateTimeParseException | IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }
}
