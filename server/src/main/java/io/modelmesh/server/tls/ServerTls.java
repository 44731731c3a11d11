package io.modelmesh.server.tls;

import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.modelmesh.api.security.PemTrust;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * The https side of both servers: Helidon {@link Tls} from {@link TlsSettings}' PEM files, checked before the server
 * binds so a wrong file fails the start with a message naming it, instead of failing every handshake later.
 */
public final class ServerTls {
    private ServerTls() {
    }

    /**
     * The server TLS of {@code settings} (which must be {@linkplain TlsSettings#serving() serving}).
     *
     * @throws IllegalArgumentException when a file is not PEM, the key does not belong to the certificate, or the
     *                                  certificate is expired or not yet valid
     */
    public static Tls create(TlsSettings settings, Clock clock) {
        if (!settings.serving()) {
            throw new IllegalArgumentException("no --tls-cert/--tls-key configured");
        }
        List<X509Certificate> chain = PemTrust.certificates(settings.cert(), "--tls-cert");
        X509Certificate leaf = chain.getFirst();
        try {
            leaf.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException("--tls-cert " + settings.cert() + " expired on "
                    + leaf.getNotAfter().toInstant() + "; renew it", e);
        } catch (CertificateNotYetValidException e) {
            throw new IllegalArgumentException("--tls-cert " + settings.cert() + " is not valid before "
                    + leaf.getNotBefore().toInstant() + " (check this machine's clock)", e);
        }
        PrivateKey key = privateKey(settings);
        requireMatch(key, leaf, settings);
        return Tls.builder()
                .privateKey(key)
                .privateKeyCertChain(chain)
                .build();
    }

    private static PrivateKey privateKey(TlsSettings settings) {
        String hint = "--tls-key " + settings.key() + " must be an unencrypted PEM private key ('BEGIN PRIVATE KEY', "
                + "or 'BEGIN RSA PRIVATE KEY'); convert others with: "
                + "openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem";
        try {
            return Keys.builder()
                    .pem(pem -> pem.key(Resource.create(settings.key())))
                    .build()
                    .privateKey()
                    .orElseThrow(() -> new IllegalArgumentException(hint));
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(hint + " (" + e.getMessage() + ")", e);
        }
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private static void requireMatch(PrivateKey key, X509Certificate leaf, TlsSettings settings) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> throw new IllegalArgumentException("--tls-key " + settings.key() + " is a " + key.getAlgorithm()
                    + " key; use an RSA or EC key");
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new IllegalArgumentException("--tls-key " + settings.key() + " is not the private key of the first "
                    + "certificate in --tls-cert " + settings.cert() + " (" + leaf.getSubjectX500Principal() + ")");
        }
    }
}
