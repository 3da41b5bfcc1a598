package org.dsvmpools.pool;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * An OpenSSH public key line ({@code type base64 [comment]}) whose key blob has been decoded and checked:
 * {@code ssh-ed25519}, or {@code ssh-rsa} of at least 2048 bits. Pools take keys only: there is no password
 * anywhere in the API.
 */
public record SshPublicKey(String value) {
    static final int MIN_RSA_BITS = 2048;
    private static final int ED25519_KEY_BYTES = 32;

    public SshPublicKey {
        problem(value).ifPresent(message -> {
            throw new IllegalArgumentException("invalid SSH public key: " + message);
        });
    }

    /** Why {@code line} is not an acceptable public key, or empty when it is. */
    /** An RSA key of 16,384 bits is about 2,800 characters; the manifest every VM reads carries each key. */
    public static final int MAX_LENGTH = 4096;
    /** Keys a user or the admin may have: the manifest's size grows with them. */
    public static final int MAX_PER_USER = 10;

    public static Optional<String> problem(String line) {
        if (line == null || line.isBlank()) {
            return Optional.of("must be an OpenSSH public key line such as 'ssh-ed25519 AAAA... user@host'");
        }
        if (line.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (line.contains("PRIVATE KEY")) {
            return Optional.of("is a private key: send the public key (the .pub file) and keep this one secret");
        }
        String[] parts = line.trim().split("\\s+", 3);
        if (parts.length < 2) {
            return Optional.of("must have a key type and a base64 key blob");
        }
        String type = parts[0];
        if (!type.equals("ssh-ed25519") && !type.equals("ssh-rsa")) {
            return Optional.of("key type '" + type + "' is not accepted: use ssh-ed25519, or ssh-rsa of at least "
                    + MIN_RSA_BITS + " bits");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return Optional.of("key blob is not valid base64");
        }
        try {
            return checkBlob(type, ByteBuffer.wrap(blob));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return Optional.of("key blob is truncated or malformed");
        }
    }

    private static Optional<String> checkBlob(String type, ByteBuffer blob) {
        String blobType = new String(readField(blob), StandardCharsets.US_ASCII);
        if (!blobType.equals(type)) {
            return Optional.of("key blob is of type '" + blobType + "' but the line says '" + type + "'");
        }
        if (type.equals("ssh-ed25519")) {
            return readField(blob).length == ED25519_KEY_BYTES && !blob.hasRemaining()
                    ? Optional.empty()
                    : Optional.of("ed25519 key blob must hold exactly one 32-byte key");
        }
        readField(blob); // public exponent
        BigInteger modulus = new BigInteger(readField(blob));
        if (blob.hasRemaining() || modulus.signum() <= 0) {
            return Optional.of("ssh-rsa key blob is malformed");
        }
        int bits = modulus.bitLength();
        return bits >= MIN_RSA_BITS
                ? Optional.empty()
                : Optional.of("ssh-rsa key has " + bits + " bits; at least " + MIN_RSA_BITS + " are required");
    }

    private static byte[] readField(ByteBuffer blob) {
        int length = blob.getInt();
        if (length < 0 || length > blob.remaining()) {
            throw new IllegalArgumentException("field length " + length);
        }
        byte[] field = new byte[length];
        blob.get(field);
        return field;
    }
}
