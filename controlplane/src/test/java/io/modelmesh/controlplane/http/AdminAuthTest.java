package io.modelmesh.controlplane.http;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AdminAuthTest {
    @Test
    void bearerTokens() {
        assertEquals(Optional.of("abc"), AdminAuth.bearer("Bearer abc"));
        assertEquals(Optional.of("abc"), AdminAuth.bearer("bearer  abc "));
        assertEquals(Optional.empty(), AdminAuth.bearer(null));
        assertEquals(Optional.empty(), AdminAuth.bearer("Bearer "));
        assertEquals(Optional.empty(), AdminAuth.bearer("Basic abc"));
        assertEquals(Optional.empty(), AdminAuth.bearer("Bearerabc"));
    }
}
