package io.modelmesh.server.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenHashesTest {
    @Test
    void remembersOnlyWhatItWasGivenForExactlyThatToken() {
        TokenHashes hashes = new TokenHashes();
        String token = Tokens.generate(Tokens.API_PREFIX);
        assertNull(hashes.remembered(token), "nothing before the directory accepted it");
        hashes.remember(token, Tokens.hash(token));
        assertEquals(Tokens.hash(token), hashes.remembered(token));
        String sameLength = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertNull(hashes.remembered(sameLength), "a token differing in its last character is another token");
        assertNull(hashes.remembered(token + "x"));
    }

    @Test
    void staysBounded() {
        TokenHashes hashes = new TokenHashes();
        for (int i = 0; i < TokenHashes.MAX * 3; i++) {
            String t = "mmt_" + i;
            hashes.remember(t, Tokens.hash(t));
            assertTrue(hashes.size() <= TokenHashes.MAX, "size " + hashes.size());
        }
    }
}
