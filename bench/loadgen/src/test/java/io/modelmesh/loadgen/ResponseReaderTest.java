package io.modelmesh.loadgen;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseReaderTest {
    private final ResponseReader reader = new ResponseReader();

    @Test
    void readsBackToBackContentLengthResponses() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\n"
                + "{\"a\":"
                + "HTTP/1.1 429 Too Many Requests\r\ncontent-length: 2\r\n\r\n{}");
        assertEquals(new ResponseReader.Response(200, true, 5), reader.read(in));
        assertEquals(new ResponseReader.Response(429, true, 2), reader.read(in));
        assertThrows(ResponseReader.NoResponseException.class, () -> reader.read(in));
    }

    @Test
    void readsChunkedBodiesWithExtensionsAndTrailers() throws IOException {
        InputStream in = stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;ext=1\r\nabcd\r\n10\r\n0123456789abcdef\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n");
        assertEquals(new ResponseReader.Response(200, true, 20), reader.read(in));
        assertEquals(new ResponseReader.Response(204, true, 0), reader.read(in));
    }

    @Test
    void connectionHeadersAndHttp10DecideKeepAlive() throws IOException {
        assertEquals(new ResponseReader.Response(200, false, 0),
                reader.read(stream("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")));
        assertEquals(new ResponseReader.Response(200, false, 0),
                reader.read(stream("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")));
        assertEquals(new ResponseReader.Response(200, true, 0),
                reader.read(stream("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n")));
        // no length at all: the body runs to the end of the connection
        assertEquals(new ResponseReader.Response(500, false, 3),
                reader.read(stream("HTTP/1.1 500 Oops\r\n\r\nabc")));
    }

    @Test
    void skipsInterimResponses() throws IOException {
        assertEquals(new ResponseReader.Response(201, true, 1),
                reader.read(stream("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx")));
    }

    @Test
    void truncatedOrMalformedResponsesAreErrors() {
        assertThrows(EOFException.class,
                () -> reader.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")));
        assertThrows(EOFException.class, () -> reader.read(stream("HTTP/1.1 200 OK\r\nContent-")));
        IOException e = assertThrows(IOException.class, () -> reader.read(stream("SSH-2.0-OpenSSH\r\n\r\n")));
        assertTrue(e.getMessage().contains("not an HTTP/1.x status line"), e.getMessage());
        assertThrows(IOException.class, () -> reader.read(stream("HTTP/1.1 2x0 OK\r\n\r\n")));
        assertThrows(IOException.class,
                () -> reader.read(stream("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")));
        assertThrows(IOException.class,
                () -> reader.read(stream("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")));
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
