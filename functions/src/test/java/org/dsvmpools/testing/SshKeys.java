package org.dsvmpools.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/** Real OpenSSH public key lines, generated with the JDK, for tests. */
public final class SshKeys {
    private static final String ED25519 = ed25519Key();
    private static final String RSA_2048 = rsaKey(2048);

    private SshKeys() {
    }

    public static String ed25519() {
        return ED25519;
    }

    public static String rsa2048() {
        return RSA_2048;
    }

    public static String rsa(int bits) {
        return rsaKey(bits);
    }

    /** A key line whose blob is built from {@code fields}, for malformed-key tests. */
    public static String line(String type, byte[]... fields) {
        return type + " " + Base64.getEncoder().encodeToString(blob(fields)) + " test@dsvmpools";
    }

    public static byte[] text(String value) {
        return value.getBytes(StandardCharsets.US_ASCII);
    }

    private static String ed25519Key() {
        try {
            byte[] x509 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
            return line("ssh-ed25519", text("ssh-ed25519"), raw);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rsaKey(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            RSAPublicKey key = (RSAPublicKey) generator.generateKeyPair().getPublic();
            return line("ssh-rsa", text("ssh-rsa"), key.getPublicExponent().toByteArray(),
                    key.getModulus().toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] blob(byte[]... fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            for (byte[] field : fields) {
                out.writeInt(field.length);
                out.write(field);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
