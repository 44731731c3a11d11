package io.modelmesh.server.tls;

import io.modelmesh.api.security.PemTrust;

import javax.net.ssl.SSLContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A server's TLS settings, parsed once at start: its own certificate chain and private key (PEM; both or neither) to
 * serve https, and the CA bundle its own clients verify the other side with (a node calling its control plane, the
 * control plane pushing to nodes). Without a CA file those clients use the JDK's default trust store.
 *
 * @param cert PEM certificate chain served (leaf first), or null for plain http
 * @param key  PEM private key of the leaf certificate (PKCS#8, or PKCS#1 for RSA; unencrypted), or null
 * @param ca   PEM CA bundle outgoing https calls trust, or null for the JDK's default trust store
 */
public record TlsSettings(Path cert, Path key, Path ca) {
    /** Plain http, default trust store. */
    public static final TlsSettings NONE = new TlsSettings(null, null, null);

    public static final String CERT_ENV = "MM_TLS_CERT";
    public static final String KEY_ENV = "MM_TLS_KEY";
    public static final String CA_ENV = "MM_TLS_CA";

    public TlsSettings {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together (" + CERT_ENV + " / " + KEY_ENV
                    + "): " + (cert == null ? "--tls-key is set but --tls-cert is not" : "--tls-cert is set but "
                    + "--tls-key is not"));
        }
        requireFile(cert, "--tls-cert");
        requireFile(key, "--tls-key");
        requireFile(ca, "--tls-ca");
    }

    /**
     * The settings from flag values over the environment ({@code MM_TLS_CERT}, {@code MM_TLS_KEY}, {@code MM_TLS_CA});
     * null or blank values are unset.
     *
     * @throws IllegalArgumentException naming the flag whose file is missing, or the half of a pair that is missing
     */
    public static TlsSettings of(String certFlag, String keyFlag, String caFlag, Map<String, String> env) {
        return new TlsSettings(path(certFlag, env.get(CERT_ENV)), path(keyFlag, env.get(KEY_ENV)),
                path(caFlag, env.get(CA_ENV)));
    }

    /** Whether this server serves https. */
    public boolean serving() {
        return cert != null;
    }

    /** {@code https} when serving TLS, else {@code http}. */
    public String scheme() {
        return serving() ? "https" : "http";
    }

    /** The SSL context the server's own outgoing calls use: trusting {@link #ca} only, else the JDK's defaults. */
    public SSLContext clientContext() {
        return PemTrust.sslContext(ca);
    }

    private static Path path(String flag, String env) {
        String v = flag != null && !flag.isBlank() ? flag : env;
        return v == null || v.isBlank() ? null : Path.of(v.trim());
    }

    private static void requireFile(Path p, String flag) {
        if (p != null && !Files.isRegularFile(p)) {
            throw new IllegalArgumentException(flag + " " + p + " is not a readable file");
        }
        if (p != null && !Files.isReadable(p)) {
            throw new IllegalArgumentException(flag + " " + p + " cannot be read (check its permissions)");
        }
    }
}
