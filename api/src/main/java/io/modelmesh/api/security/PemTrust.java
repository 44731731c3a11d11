package io.modelmesh.api.security;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM certificates for TLS clients, without any server library: the SDK, mmctl, and the servers' own clients (a node
 * calling its control plane, the control plane pushing to nodes) all verify servers through this class. A CA bundle is
 * one or more {@code -----BEGIN CERTIFICATE-----} blocks; the servers read their certificate chain with
 * {@link #certificates} too.
 */
public final class PemTrust {
    private PemTrust() {
    }

    /**
     * An SSL context that trusts exactly the certificates in {@code caPem} (not the JDK's default authorities), or the
     * JDK's default context when {@code caPem} is null.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static SSLContext sslContext(Path caPem) {
        if (caPem == null) {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no default TLS context", e);
            }
        }
        List<X509Certificate> cas = certificates(caPem, "CA bundle");
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot build a TLS trust store from " + caPem + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Every X.509 certificate in a PEM file, in file order.
     *
     * @param what what the file is, for messages ("CA bundle", "--tls-cert")
     * @throws IllegalArgumentException when the file is missing, unreadable, or holds no certificate
     */
    public static List<X509Certificate> certificates(Path pem, String what) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pem);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " " + pem + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + pem + ": " + e.getMessage(), e);
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(what + " " + pem + " holds no PEM certificate (expected one or more "
                    + "'-----BEGIN CERTIFICATE-----' blocks)");
        }
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(what + " " + pem + " holds no certificate");
            }
            return List.copyOf(out);
        } catch (CertificateException | IOException e) {
            throw new IllegalArgumentException(what + " " + pem + " is not a valid PEM certificate file: "
                    + e.getMessage(), e);
        }
    }
}
