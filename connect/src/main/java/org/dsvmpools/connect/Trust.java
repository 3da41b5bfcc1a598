package org.dsvmpools.connect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Whom TLS trusts: the JDK's certificate authorities, and with {@code --trust} the certificates of a PEM file
 * too (the dev stack's emulator has its own). Never "trust all".
 */
final class Trust {
    private Trust() {
    }

    static SSLContext context(Path extraPem) throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        if (extraPem == null) {
            context.init(null, null, null);
            return context;
        }
        KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
        extra.load(null, null);
        int i = 0;
        try (InputStream in = Files.newInputStream(extraPem)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                extra.setCertificateEntry("extra-" + i++, certificate);
            }
        }
        if (i == 0) {
            throw new CertificateException(extraPem + " holds no PEM certificate");
        }
        X509TrustManager jdk = manager(null);
        X509TrustManager added = manager(extra);
        context.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String type) throws CertificateException {
                jdk.checkClientTrusted(chain, type);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String type) throws CertificateException {
                try {
                    jdk.checkServerTrusted(chain, type);
                } catch (CertificateException notPublic) {
                    added.checkServerTrusted(chain, type);
                }
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                List<X509Certificate> all = new ArrayList<>(Arrays.asList(jdk.getAcceptedIssuers()));
                all.addAll(Arrays.asList(added.getAcceptedIssuers()));
                return all.toArray(X509Certificate[]::new);
            }
        }}, null);
        return context;
    }

    private static X509TrustManager manager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }
}
