package io.modelmesh.api.security;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
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
     * The JDK's default SSL context, made on first use. Making it reads and parses the JDK's CA store and initialises
     * the TLS stack, which a client talking plain http never needs: it was most of an {@code mmctl} command's HTTP
     * set-up (docs/benchmark_results.md, section 15). A client built on it must not ask it for its default parameters
     * at construction (give {@code HttpClient.Builder} its own {@code SSLParameters}, as the SDK does), or the
     * default context is made then.
     */
    public static SSLContext lazyDefault() {
        return new SSLContext(new LazyDefault(), null, "Default") {
        };
    }

    /** Delegates every call to {@link SSLContext#getDefault()}, fetched on the first one. */
    private static final class LazyDefault extends SSLContextSpi {
        private volatile SSLContext context;

        private SSLContext context() {
            SSLContext c = context;
            if (c == null) {
                try {
                    c = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("the JDK has no default TLS context", e);
                }
                context = c;
            }
            return c;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is initialised by the JDK"); // as the JDK's
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return context().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return context().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return context().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return context().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return context().getSupportedSSLParameters();
        }
    }

    /**
     * An SSL context that trusts exactly the certificates in {@code caPem} (not the JDK's default authorities), or the
     * JDK's default context when {@code caPem} is null — made when a connection first needs it ({@link #lazyDefault}).
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static SSLContext sslContext(Path caPem) {
        if (caPem == null) {
            return lazyDefault();
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
