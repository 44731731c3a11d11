package io.modelmesh.api.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CA bundles and certificate chains from PEM files (fixtures/tls, made by make_certs.sh). */
class PemTrustTest {
    private static final Path TLS = Path.of("..", "fixtures", "tls");

    @TempDir
    Path dir;

    @Test
    void readsEveryCertificateOfABundleInOrder() throws Exception {
        Path bundle = dir.resolve("bundle.pem");
        Files.writeString(bundle, "comment lines before a block are allowed\n" + Files.readString(TLS.resolve("ca.pem"))
                + Files.readString(TLS.resolve("other-ca.pem")));
        List<X509Certificate> certs = PemTrust.certificates(bundle, "CA bundle");
        assertEquals(2, certs.size());
        assertEquals("CN=ModelMesh test CA", certs.get(0).getSubjectX500Principal().getName());
        assertEquals("CN=Some other CA", certs.get(1).getSubjectX500Principal().getName());
        assertEquals("TLS", PemTrust.sslContext(bundle).getProtocol());
    }

    @Test
    void badFilesAreNamedWithWhatIsWrong() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PemTrust.sslContext(dir.resolve("nope.pem")));
        assertTrue(missing.getMessage().contains("nope.pem does not exist"), missing.getMessage());

        Path key = TLS.resolve("server.key");
        IllegalArgumentException notCert = assertThrows(IllegalArgumentException.class, () -> PemTrust.sslContext(key));
        assertTrue(notCert.getMessage().contains("holds no PEM certificate"), notCert.getMessage());

        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> PemTrust.certificates(broken, "--tls-cert"));
        assertTrue(invalid.getMessage().startsWith("--tls-cert " + broken + " is not a valid PEM certificate file"),
                invalid.getMessage());
    }

    @Test
    void withoutAFileTheJdkDefaultsAreUsedOnceAConnectionNeedsThem() throws Exception {
        javax.net.ssl.SSLContext lazy = PemTrust.sslContext(null);
        javax.net.ssl.SSLContext jdk = javax.net.ssl.SSLContext.getDefault();
        assertEquals(java.util.List.of(jdk.getDefaultSSLParameters().getProtocols()),
                java.util.List.of(lazy.getDefaultSSLParameters().getProtocols()));
        assertEquals(java.util.List.of(jdk.getDefaultSSLParameters().getCipherSuites()),
                java.util.List.of(lazy.createSSLEngine("example.org", 443).getEnabledCipherSuites()));
        assertEquals(jdk.getClientSessionContext(), lazy.getClientSessionContext(), "the JDK's own context behind it");
        org.junit.jupiter.api.Assertions.assertThrows(java.security.KeyManagementException.class,
                () -> lazy.init(null, null, null), "nobody re-initialises the JDK's default context through it");
    }
}
