package io.modelmesh.server.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrowserGuardTest {
    @Test
    void originsAreNormalised() {
        assertEquals("https://app.example.com", BrowserGuard.normalize("HTTPS://App.Example.com:443"));
        assertEquals("http://127.0.0.1:8080", BrowserGuard.normalize("http://127.0.0.1:8080/"));
        assertNull(BrowserGuard.normalize("null"), "sandboxed pages and file:// send Origin: null");
        assertNull(BrowserGuard.normalize("http://evil.example/path"));
        assertNull(BrowserGuard.normalize("ftp://x"));
        assertNull(BrowserGuard.normalize("http://u:p@x"));
    }

    @Test
    void configuredOriginsAreCheckedAtStart() {
        assertEquals(Set.of("https://a.example", "http://b:81"),
                BrowserGuard.allowing(List.of("https://a.example/", " http://B:81", "")).allowed());
        assertTrue(BrowserGuard.allowing(List.of()).allowed().isEmpty(), "CORS is off by default");
        assertThrows(IllegalArgumentException.class, () -> BrowserGuard.allowing(List.of("*")));
    }

    @Test
    void jsonContentTypes() {
        assertTrue(MediaTypes.isJson("application/json"));
        assertTrue(MediaTypes.isJson("Application/JSON; charset=utf-8"));
        assertTrue(MediaTypes.isJson("application/merge-patch+json"));
        assertFalse(MediaTypes.isJson("text/plain"));
        assertFalse(MediaTypes.isJson("application/x-www-form-urlencoded"));
        assertFalse(MediaTypes.isJson(null));
    }

    @Test
    void loopbackHosts() {
        assertTrue(Loopback.is("127.0.0.1"));
        assertTrue(Loopback.is("127.1.2.3"));
        assertTrue(Loopback.is("localhost"));
        assertTrue(Loopback.is("::1"));
        assertFalse(Loopback.is("0.0.0.0"));
        assertFalse(Loopback.is("10.0.0.5"));
    }
}
