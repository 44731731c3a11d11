package io.modelmesh.loadgen;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HttpTargetTest {

    @Test
    void buildsAJsonPostWithHostAndLength() {
        byte[] body = "{\"inputs\":[1]}".getBytes(StandardCharsets.UTF_8);
        HttpTarget t = HttpTarget.of(URI.create("http://127.0.0.1:8000/predict/iris?version=1.0.0"), "POST", body,
                List.of(new HttpTarget.Header("X-Trace", "1")));
        assertEquals("127.0.0.1", t.host());
        assertEquals(8000, t.port());
        assertEquals("POST /predict/iris?version=1.0.0 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nX-Trace: 1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"inputs\":[1]}", text(t));
    }

    @Test
    void aGetHasNoBodyHeadersAndAGivenContentTypeWins() {
        assertEquals("GET / HTTP/1.1\r\nHost: example:80\r\n\r\n",
                text(HttpTarget.of(URI.create("http://example"), "GET", new byte[0], List.of())));
        assertEquals("PUT /x HTTP/1.1\r\nHost: h:9\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi",
                text(HttpTarget.of(URI.create("http://h:9/x"), "PUT", "hi".getBytes(StandardCharsets.UTF_8),
                        List.of(new HttpTarget.Header("Content-Type", "text/plain")))));
    }

    @Test
    void headersTheGeneratorOwnsOrThatCouldSplitTheRequestAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HttpTarget.of(URI.create("http://h/"), "GET", new byte[0],
                List.of(new HttpTarget.Header("Content-Length", "5"))));
        assertThrows(IllegalArgumentException.class, () -> HttpTarget.Header.parse("X-A: b\r\nX-Evil: 1"));
        assertThrows(IllegalArgumentException.class, () -> HttpTarget.Header.parse(": empty"));
        assertEquals(new HttpTarget.Header("X-A", "b:c"), HttpTarget.Header.parse("X-A:b:c"));
    }

    private static String text(HttpTarget t) {
        return new String(t.requestBytes(), StandardCharsets.ISO_8859_1);
    }
}
