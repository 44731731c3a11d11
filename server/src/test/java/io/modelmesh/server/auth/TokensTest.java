package io.modelmesh.server.auth;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokensTest {
    @Test
    void generatedTokensAreRandomUrlSafeAndPrefixed() {
        String a = Tokens.generate(Tokens.API_PREFIX);
        String b = Tokens.generate(Tokens.API_PREFIX);
        assertTrue(a.matches("mmt_[A-Za-z0-9_-]{43}"), a);
        assertNotEquals(a, b);
        assertTrue(Tokens.generate(Tokens.NODE_PREFIX).startsWith("mmn_"));
    }

    @Test
    void hashesAreSha256Hex() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Tokens.hash("abc"));
        assertTrue(Tokens.equal(Tokens.hash("x"), Tokens.hash("x")));
        assertFalse(Tokens.equal(Tokens.hash("x"), Tokens.hash("y")));
        assertFalse(Tokens.equal(null, "a"));
    }

    @Test
    void bearerHeaders() {
        assertEquals(Optional.of("abc"), Tokens.bearer("Bearer abc"));
        assertEquals(Optional.of("abc"), Tokens.bearer("bearer  abc "));
        assertEquals(Optional.empty(), Tokens.bearer(null));
        assertEquals(Optional.empty(), Tokens.bearer("Bearer "));
        assertEquals(Optional.empty(), Tokens.bearer("Basic abc"));
        assertEquals(Optional.empty(), Tokens.bearer("Bearerabc"));
        assertEquals(Optional.empty(), Tokens.bearer("Bearer a b"), "one token, no spaces");
        assertEquals(Optional.empty(), Tokens.bearer("Bearer \u00e9t\u00e9"), "printable ASCII only");
        assertEquals(Optional.empty(), Tokens.bearer("Bearer " + "x".repeat(600)), "bounded");
    }
}
