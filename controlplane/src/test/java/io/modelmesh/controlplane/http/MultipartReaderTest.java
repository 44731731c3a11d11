package io.modelmesh.controlplane.http;

import io.modelmesh.server.errors.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartReaderTest {
    private static final String BOUNDARY = "mm-7f3c2a";

    @Test
    void readsFieldsAndAFileInOrder() throws IOException {
        byte[] file = "\u0008\u0007binary\r\nwith CRLF\r\n--not-the-boundary\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new Form().field("name", "iris").field("version", "1.2.0").file("file", "iris.onnx", file)
                .field("meta", "team=ml").build();

        Map<String, byte[]> parts = readAll(new ByteArrayInputStream(body));

        assertEquals(List.of("name", "version", "file", "meta"), new ArrayList<>(parts.keySet()));
        assertEquals("iris", text(parts.get("name")));
        assertEquals("1.2.0", text(parts.get("version")));
        assertEquals("team=ml", text(parts.get("meta")));
        assertArrayEquals(file, parts.get("file"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 13, 64, 4096})
    void boundariesSplitAcrossReadsAnywhere(int chunk) throws IOException {
        byte[] file = randomBytes(200_000, 42);
        byte[] body = new Form().field("name", "iris").file("file", "m.onnx", file).field("deploy", "false").build();

        Map<String, byte[]> parts = readAll(new ChunkedInputStream(body, chunk));

        assertEquals("iris", text(parts.get("name")));
        assertEquals("false", text(parts.get("deploy")));
        assertArrayEquals(file, parts.get("file"));
    }

    @Test
    void randomChunkSizesAndContentResemblingTheDelimiter() throws IOException {
        // content full of CR, LF and dashes, and a near-miss of the delimiter right at the end of the part
        byte[] tricky = ("\r\n\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "x\r\n-\r\r\n--"
                + BOUNDARY.substring(0, 4)).getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = new Form().file("file", "f.bin", tricky).field("name", "x").build();
        Random random = new Random(7);
        for (int run = 0; run < 200; run++) {
            Map<String, byte[]> parts = readAll(new RandomChunkInputStream(body, random));
            assertArrayEquals(tricky, parts.get("file"), "run " + run);
            assertEquals("x", text(parts.get("name")));
        }
    }

    @Test
    void emptyPartsAndEmptyFile() throws IOException {
        byte[] body = new Form().field("version", "").file("file", "empty.onnx", new byte[0]).build();
        Map<String, byte[]> parts = readAll(new ByteArrayInputStream(body));
        assertEquals(0, parts.get("version").length);
        assertEquals(0, parts.get("file").length);
    }

    @Test
    void skipsPreambleAndEpilogue() throws IOException {
        byte[] inner = new Form().field("name", "iris").build();
        byte[] body = concat("this is a preamble\r\n".getBytes(StandardCharsets.US_ASCII), inner,
                "epilogue that is ignored".getBytes(StandardCharsets.US_ASCII));
        Map<String, byte[]> parts = readAll(new ByteArrayInputStream(body));
        assertEquals("iris", text(parts.get("name")));
    }

    @Test
    void partsReportFileNameAndContentType() throws IOException {
        byte[] body = new Form().file("file", "my \"model\".onnx", new byte[] {1, 2, 3}).build();
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body), BOUNDARY);
        MultipartPart part = reader.next().orElseThrow();
        assertEquals("file", part.name());
        assertEquals("my \"model\".onnx", part.filename());
        assertEquals("application/octet-stream", part.contentType());
        assertTrue(part.isFile());
        assertFalse(reader.next().isPresent(), "the unread content is skipped, then the body ends");
    }

    @Test
    void fileContentIsStreamedNotBuffered() throws IOException {
        int size = 8 * 1024 * 1024;
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        CountingSource source = new CountingSource(head, size, tail);
        MultipartReader reader = new MultipartReader(source, BOUNDARY);
        MultipartPart part = reader.next().orElseThrow();

        long[] maxAhead = {0};
        long[] written = {0};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
                maxAhead[0] = Math.max(maxAhead[0], source.consumed - written[0]);
            }
        };
        part.content().transferTo(sink);

        assertEquals(size, written[0]);
        assertTrue(maxAhead[0] < 256 * 1024, "the reader ran " + maxAhead[0] + " bytes ahead of the consumer");
        assertFalse(reader.next().isPresent());
    }

    @Test
    void boundaryParameterIsParsedFromTheContentType() {
        assertEquals("abc", MultipartReader.boundary("multipart/form-data; boundary=abc"));
        assertEquals("a b", MultipartReader.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""));
        assertThrows(InvalidInputException.class, () -> MultipartReader.boundary("application/json"));
        assertThrows(InvalidInputException.class, () -> MultipartReader.boundary(null));
        assertThrows(InvalidInputException.class, () -> MultipartReader.boundary("multipart/form-data"));
    }

    @Test
    void truncatedBodyIsRejected() {
        byte[] body = new Form().field("name", "iris").build();
        byte[] truncated = Arrays.copyOf(body, body.length - 12);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> readAll(new ByteArrayInputStream(truncated)));
        assertTrue(e.getMessage().contains("malformed multipart"), e.getMessage());
    }

    @Test
    void partWithoutDispositionIsRejected() {
        byte[] body = ("--" + BOUNDARY + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        assertThrows(InvalidInputException.class, () -> readAll(new ByteArrayInputStream(body)));
    }

    @Test
    void textFieldsAreBounded() throws IOException {
        byte[] body = new Form().field("name", "x".repeat(100)).build();
        MultipartPart part = new MultipartReader(new ByteArrayInputStream(body), BOUNDARY).next().orElseThrow();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> part.text(10));
        assertTrue(e.getMessage().contains("'name'"), e.getMessage());
    }

    @Test
    void dispositionParameters() {
        Map<String, String> p = MultipartPart.dispositionParams("form-data; name=\"file\"; filename=\"a;b.onnx\"");
        assertEquals("file", p.get("name"));
        assertEquals("a;b.onnx", p.get("filename"));
        Map<String, String> bare = MultipartPart.dispositionParams("form-data; name=version");
        assertEquals("version", bare.get("name"));
        assertNull(bare.get("filename"));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static Map<String, byte[]> readAll(InputStream in) throws IOException {
        MultipartReader reader = new MultipartReader(in, BOUNDARY);
        Map<String, byte[]> parts = new LinkedHashMap<>();
        for (Optional<MultipartPart> p = reader.next(); p.isPresent(); p = reader.next()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.get().content().transferTo(out);
            parts.put(p.get().name(), out.toByteArray());
        }
        return parts;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Builds a body the way browsers and the SDK do. */
    private static final class Form {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Form field(String name, String value) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                    + "\r\n").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Form file(String name, String filename, byte[] content) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + filename.replace("\"", "\\\"") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(content);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        byte[] build() {
            out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return out.toByteArray();
        }
    }

    /** Returns at most {@code chunk} bytes per read, like a slow socket. */
    private static final class ChunkedInputStream extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;

        ChunkedInputStream(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static final class RandomChunkInputStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private int pos;

        RandomChunkInputStream(byte[] data, Random random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(40)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    /** head + {@code size} generated bytes + tail, counting how much has been read; never materialised. */
    private static final class CountingSource extends InputStream {
        private final byte[] head;
        private final long size;
        private final byte[] tail;
        long consumed;

        CountingSource(byte[] head, long size, byte[] tail) {
            this.head = head;
            this.size = size;
            this.tail = tail;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            long total = head.length + size + tail.length;
            if (consumed >= total) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, 16 * 1024), total - consumed);
            for (int i = 0; i < n; i++) {
                long at = consumed + i;
                b[off + i] = at < head.length ? head[(int) at]
                        : at < head.length + size ? (byte) ('a' + at % 26)
                        : tail[(int) (at - head.length - size)];
            }
            consumed += n;
            return n;
        }
    }
}
