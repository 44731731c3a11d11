package io.modelmesh.controlplane.http;

import io.modelmesh.server.errors.InvalidInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Streams a {@code multipart/form-data} body (RFC 7578) part by part with a fixed-size buffer: a part's content is an
 * {@link InputStream} that ends at the next boundary, so a file part can be copied to disk without ever being held in
 * memory. Boundaries may be split across reads of the underlying stream in any way. Not thread-safe.
 *
 * <pre>{@code
 * MultipartReader reader = new MultipartReader(in, MultipartReader.boundary(contentType));
 * for (Optional<MultipartPart> p = reader.next(); p.isPresent(); p = reader.next()) { ... p.get().content() ... }
 * }</pre>
 */
public final class MultipartReader {
    /** Longest header block a part may have. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    /** {@code CRLF--boundary}: what ends every part (the body is read as if it started with CRLF). */
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private PartContent current;
    private boolean finished;

    public MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 200) {
            throw new IllegalArgumentException("multipart boundary must be 1 to 200 characters");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[Math.max(BUFFER_BYTES, delimiter.length * 4)];
        // Pretend the body starts with CRLF so the first boundary looks like every later one; what precedes it is the
        // preamble, skipped like the content of a part.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /**
     * The boundary parameter of a {@code multipart/form-data} content type.
     *
     * @throws InvalidInputException when the type is not multipart/form-data or has no boundary
     */
    public static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).trim().startsWith("multipart/form-data")) {
            throw new InvalidInputException("expected a multipart/form-data body (Content-Type was "
                    + (contentType == null ? "missing" : "'" + contentType + "'")
                    + "); send the artifact as a 'file' part with the other fields, e.g. curl -F name=iris -F file=@iris.onnx");
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
                String b = p.substring(eq + 1).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                if (!b.isEmpty() && b.length() <= 200) {
                    return b;
                }
            }
        }
        throw new InvalidInputException("the multipart/form-data Content-Type has no valid boundary parameter");
    }

    /**
     * Advances to the next part, skipping whatever is left of the current one.
     *
     * @return the part, or empty after the closing boundary
     * @throws InvalidInputException when the body is not well-formed multipart
     */
    public Optional<MultipartPart> next() throws IOException {
        if (finished) {
            return Optional.empty();
        }
        if (current == null) {
            current = new PartContent(); // the preamble
        }
        current.skipRest();
        current = null;
        // after a delimiter: "--" closes the body; otherwise optional whitespace, then CRLF and the part's headers
        if (!ensure(2)) {
            throw malformed("the body ends right after a boundary (missing the closing '--')");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            pos += 2;
            return Optional.empty();
        }
        while (ensure(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        if (!ensure(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw malformed("a boundary is not followed by CRLF");
        }
        pos += 2;
        Map<String, String> headers = readHeaders();
        current = new PartContent();
        return Optional.of(MultipartPart.of(headers, current));
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        while (true) {
            String line = readLine(MAX_HEADER_BYTES - total);
            total += line.length() + 2;
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("bad part header line '" + line + "'");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    private String readLine(int max) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (!ensure(2)) {
                throw malformed("the body ends inside a part's headers");
            }
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(buf[pos++]);
            if (line.size() > max) {
                throw malformed("a part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
            }
        }
    }

    /** Makes at least {@code n} bytes available at {@code pos}; false when the stream ends first. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n) {
            if (eof) {
                return false;
            }
            fill();
        }
        return true;
    }

    /** Reads more bytes after compacting; sets {@code eof} at the end of the stream. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
        } else {
            lim += n;
        }
    }

    /** Index of the delimiter in buf[from, lim), or -1. */
    private int indexOfDelimiter(int from) {
        int last = lim - delimiter.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static InvalidInputException malformed(String why) {
        return new InvalidInputException("malformed multipart/form-data body: " + why);
    }

    /** The content of the current part: reads until the delimiter, holding back bytes that may start it. */
    private final class PartContent extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int at = indexOfDelimiter(pos);
                if (at == pos) {
                    pos += delimiter.length;
                    done = true;
                    return -1;
                }
                int safe = at >= 0 ? at - pos : lim - pos - (delimiter.length - 1);
                if (safe > 0) {
                    int n = Math.min(safe, len);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (eof) {
                    throw malformed("the body ends before the closing boundary");
                }
                fill();
            }
        }

        void skipRest() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) >= 0) {
                // discard
            }
        }
    }
}
