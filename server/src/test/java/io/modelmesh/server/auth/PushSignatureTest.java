package io.modelmesh.server.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PushSignatureTest {
    private static final long NOW = 1_760_000_000_000L;
    private final String session = Tokens.generate(Tokens.NODE_PREFIX);
    private final String key = PushSignature.key(session);
    private final byte[] body = "{\"revision\":7}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignedPushVerifies() {
        String header = PushSignature.sign(key, "PUT", "/internal/routing", NOW, body);
        assertTrue(header.matches("t=" + NOW + ",v1=[0-9a-f]{64}"), header);
        assertEquals(Optional.empty(), PushSignature.verify(key, header, "PUT", "/internal/routing", NOW + 1000, body));
    }

    @Test
    void theKeyIsDerivedNotTheSessionItself() {
        assertEquals(64, key.length());
        assertNotEquals(session, key);
        assertEquals(key, PushSignature.key(session), "both sides derive the same key");
        assertNotEquals(key, PushSignature.key(Tokens.generate(Tokens.NODE_PREFIX)));
    }

    @Test
    void anythingChangedFails() {
        String header = PushSignature.sign(key, "PUT", "/internal/routing", NOW, body);
        byte[] other = "{\"revision\":9223372036854775807}".getBytes(StandardCharsets.UTF_8);
        assertTrue(PushSignature.verify(key, header, "PUT", "/internal/routing", NOW, other).isPresent(), "body");
        assertTrue(PushSignature.verify(key, header, "PUT", "/internal/other", NOW, body).isPresent(), "path");
        assertTrue(PushSignature.verify(key, header, "POST", "/internal/routing", NOW, body).isPresent(), "method");
        String otherKey = PushSignature.key(Tokens.generate(Tokens.NODE_PREFIX));
        assertTrue(PushSignature.verify(otherKey, header, "PUT", "/internal/routing", NOW, body).isPresent(), "key");
        assertTrue(PushSignature.verify(key, header.replace("t=" + NOW, "t=" + (NOW + 1)), "PUT",
                "/internal/routing", NOW, body).isPresent(), "timestamp");
    }

    @Test
    void oldOrMalformedSignaturesFailWithAReason() {
        String old = PushSignature.sign(key, "PUT", "/internal/routing", NOW - 6 * 60_000, body);
        assertTrue(PushSignature.verify(key, old, "PUT", "/internal/routing", NOW, body).orElseThrow()
                .contains("more than 5 minutes"));
        assertTrue(PushSignature.verify(null, old, "PUT", "/internal/routing", NOW, body).orElseThrow()
                .contains("not joined"));
        assertTrue(PushSignature.verify(key, null, "PUT", "/internal/routing", NOW, body).orElseThrow()
                .contains("no X-MM-Signature"));
        assertTrue(PushSignature.verify(key, "t=abc,v1=00", "PUT", "/internal/routing", NOW, body).isPresent());
        assertTrue(PushSignature.verify(key, "t=" + NOW + ",v1=zz", "PUT", "/internal/routing", NOW, body)
                .isPresent());
        assertTrue(PushSignature.verify(key, "garbage", "PUT", "/internal/routing", NOW, body).isPresent());
    }
}
