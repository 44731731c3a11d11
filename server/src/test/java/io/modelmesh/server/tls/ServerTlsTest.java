package io.modelmesh.server.tls;

import io.helidon.common.tls.Tls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server TLS from PEM files: the committed test pair works; every wrong input fails the start naming the file. */
class ServerTlsTest {
    private static final Path TLS = Path.of("..", "fixtures", "tls").toAbsolutePath().normalize();
    private static final Path CERT = TLS.resolve("server.pem");
    private static final Path KEY = TLS.resolve("server.key");
    private static final Clock NOW = Clock.systemUTC();

    @TempDir
    Path dir;

    @Test
    void theTestPairServes() {
        Tls tls = ServerTls.create(new TlsSettings(CERT, KEY, null), NOW);
        assertTrue(tls.enabled());
        assertEquals("TLS", tls.sslContext().getProtocol());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        var pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        Path other = Files.writeString(dir.resolve("other.key"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.create(new TlsSettings(CERT, other, null), NOW));
        assertTrue(e.getMessage().contains("is not the private key of the first certificate in --tls-cert"),
                e.getMessage());
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefused() {
        Clock future = Clock.fixed(Instant.parse("2200-01-01T00:00:00Z"), ZoneOffset.UTC);
        IllegalArgumentException expired = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.create(new TlsSettings(CERT, KEY, null), future));
        assertTrue(expired.getMessage().contains("expired on"), expired.getMessage());
        Clock past = Clock.fixed(Instant.parse("2000-01-01T00:00:00Z"), ZoneOffset.UTC);
        IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.create(new TlsSettings(CERT, KEY, null), past));
        assertTrue(early.getMessage().contains("is not valid before"), early.getMessage());
    }

    @Test
    void filesInTheWrongPlaceOrFormatAreNamed() throws Exception {
        IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.create(new TlsSettings(KEY, CERT, null), NOW));
        assertTrue(swapped.getMessage().startsWith("--tls-cert " + KEY), swapped.getMessage());

        Path junk = Files.writeString(dir.resolve("junk.key"), "not a key\n");
        IllegalArgumentException badKey = assertThrows(IllegalArgumentException.class,
                () -> ServerTls.create(new TlsSettings(CERT, junk, null), NOW));
        assertTrue(badKey.getMessage().startsWith("--tls-key " + junk + " must be an unencrypted PEM private key"),
                badKey.getMessage());
        assertTrue(badKey.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), badKey.getMessage());
    }

    @Test
    void settingsComeInPairsAndNameMissingFiles() {
        IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
                () -> TlsSettings.of(CERT.toString(), null, null, Map.of()));
        assertTrue(half.getMessage().contains("--tls-cert and --tls-key go together"), half.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TlsSettings.of(null, null, dir.resolve("ca.pem").toString(), Map.of()));
        assertTrue(missing.getMessage().startsWith("--tls-ca " + dir.resolve("ca.pem")), missing.getMessage());

        TlsSettings fromEnv = TlsSettings.of(null, " ", null, Map.of("MM_TLS_CERT", CERT.toString(),
                "MM_TLS_KEY", KEY.toString(), "MM_TLS_CA", TLS.resolve("ca.pem").toString()));
        assertTrue(fromEnv.serving());
        assertEquals("https", fromEnv.scheme());
        assertEquals(KEY, fromEnv.key(), "a blank flag falls back to the environment");
        TlsSettings flagsWin = TlsSettings.of(null, null, TLS.resolve("other-ca.pem").toString(),
                Map.of("MM_TLS_CA", TLS.resolve("ca.pem").toString()));
        assertEquals(TLS.resolve("other-ca.pem"), flagsWin.ca());
        assertFalse(TlsSettings.NONE.serving());
        assertEquals("http", TlsSettings.NONE.scheme());
    }
}
