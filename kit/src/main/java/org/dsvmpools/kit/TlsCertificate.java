package org.dsvmpools.kit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's keytool on first start and kept
 * in the data folder (PKCS#12, with its password beside it, readable by the owner only). Clients trust it by
 * loading the same keystore as a trust store.
 */
public final class TlsCertificate {
    public static final String KEYSTORE = "local-tls.p12";
    /** The certificate alone, beside the keystore, for clients that take a PEM file (dsvmpools connect --trust). */
    public static final String PEM = "local-tls.pem";
    private static final String PASSWORD_FILE = "local-tls.password";

    private final KeyStore keyStore;
    private final char[] password;

    private TlsCertificate(KeyStore keyStore, char[] password) {
        this.keyStore = keyStore;
        this.password = password;
    }

    public static TlsCertificate loadOrCreate(Path dir) throws IOException, GeneralSecurityException {
        ensure(dir);
        char[] password = password(dir).toCharArray();
        Path store = dir.resolve(KEYSTORE);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, password);
        }
        return new TlsCertificate(keyStore, password);
    }

    /** Creates the certificate when the folder has none; several processes may then load it. */
    public static synchronized void ensure(Path dir) throws IOException {
        Path store = dir.resolve(KEYSTORE);
        if (Files.exists(store)) {
            return;
        }
        Files.createDirectories(dir);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path passwordFile = dir.resolve(PASSWORD_FILE);
        Files.writeString(passwordFile, password, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(passwordFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        generate(store, password);
    }

    /** The keystore's password, kept beside it. */
    public static String password(Path dir) throws IOException {
        return Files.readString(dir.resolve(PASSWORD_FILE), StandardCharsets.UTF_8).trim();
    }

    private static void generate(Path store, String password) throws IOException {
        String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "dsvmpools-local",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "3650",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", password)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating the certificate", e);
        }
        Files.setPosixFilePermissions(store, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    /** Writes {@link #PEM} beside the keystore (the certificate is public: no secret in it). */
    public Path writePem(Path dir) throws IOException, GeneralSecurityException {
        Path file = dir.resolve(PEM);
        Files.writeString(file, pem(), StandardCharsets.US_ASCII);
        return file;
    }

    /** The certificate in PEM, for a client that takes a CA bundle file (Python's ssl, curl). */
    public String pem() throws GeneralSecurityException {
        java.security.cert.Certificate certificate = keyStore.getCertificate(keyStore.aliases().nextElement());
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    /** The server side: presents the certificate. */
    public SSLContext serverContext() throws GeneralSecurityException {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** The client side: trusts this certificate (and only it). */
    public SSLContext clientContext() throws GeneralSecurityException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
