package io.modelmesh.cli.local;

import java.nio.file.Path;
import java.util.List;

/**
 * TLS for a local stack ({@code mmctl up --tls-cert --tls-key --tls-ca}): every server serves https with the same PEM
 * certificate and key, and verifies the others (node to control plane, control plane to nodes) with the CA bundle,
 * which mmctl uses too. File paths, not secrets: they go on the servers' command lines.
 *
 * @param cert PEM certificate chain (must name 127.0.0.1: the stack's URLs are https://127.0.0.1:PORT), or null
 * @param key  its PEM private key, or null
 * @param ca   PEM CA bundle that signed it, or null
 */
public record LocalTls(Path cert, Path key, Path ca) {
    public static final LocalTls NONE = new LocalTls(null, null, null);

    public LocalTls {
        cert = cert == null ? null : cert.toAbsolutePath().normalize();
        key = key == null ? null : key.toAbsolutePath().normalize();
        ca = ca == null ? null : ca.toAbsolutePath().normalize();
    }

    public boolean enabled() {
        return cert != null;
    }

    public String scheme() {
        return enabled() ? "https" : "http";
    }

    /** The servers' TLS flags. */
    public List<String> args() {
        if (!enabled()) {
            return List.of();
        }
        return List.of("--tls-cert", cert.toString(), "--tls-key", key.toString(), "--tls-ca", ca.toString());
    }
}
