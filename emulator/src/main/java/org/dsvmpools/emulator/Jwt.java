package org.dsvmpools.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The emulator's Entra signing key: RS256 tokens with a {@code kid}, as Entra signs id tokens and managed-identity
 * tokens, and the JWKS document that publishes the key. The key is made at start: tokens die with the emulator.
 */
final class Jwt {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final KeyPair keys;
    private final String kid;

    Jwt() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA key generator in this JDK", e);
        }
        kid = B64.encodeToString(Arrays.copyOf(keys.getPublic().getEncoded(), 12));
    }

    String sign(ObjectNode claims) {
        String header = B64.encodeToString(JSON.createObjectNode().put("typ", "JWT").put("alg", "RS256")
                .put("kid", kid).toString().getBytes(StandardCharsets.UTF_8));
        String body = B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
            return header + "." + body + "." + B64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** The claims of a token this key signed; empty for a malformed token or a bad signature. */
    Optional<JsonNode> verified(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(keys.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(Base64.getUrlDecoder().decode(parts[1])));
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code {"keys":[{"kty":"RSA","use":"sig","kid",...,"n","e"}]}}. */
    ObjectNode jwks() {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        ObjectNode document = JSON.createObjectNode();
        document.putArray("keys").addObject().put("kty", "RSA").put("use", "sig").put("kid", kid)
                .put("n", B64.encodeToString(unsigned(key.getModulus())))
                .put("e", B64.encodeToString(unsigned(key.getPublicExponent())));
        return document;
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
