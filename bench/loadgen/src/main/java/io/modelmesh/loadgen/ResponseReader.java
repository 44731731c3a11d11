package io.modelmesh.loadgen;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response from a stream and discards its body: status line, headers, then a
 * {@code Content-Length}, chunked, or read-to-close body. Interim 1xx responses are skipped.
 */
final class ResponseReader {
    private static final int MAX_LINE = 16 * 1024;

    /** What the caller needs: the status, whether the connection can carry the next request, the body size. */
    record Response(int status, boolean keepAlive, long bodyBytes) {}

    /** The connection closed before the first byte of a response (a keep-alive connection the server dropped). */
    static final class NoResponseException extends EOFException {
        NoResponseException() {
            super("connection closed before a response");
        }
    }

    private final byte[] line = new byte[MAX_LINE];

    /** Reads the next complete response; {@link NoResponseException} when the stream ends before its first byte. */
    Response read(InputStream in) throws IOException {
        while (true) {
            String statusLine = readLine(in, true);
            Response r = readAfterStatus(in, statusLine);
            if (r.status() >= 200 || r.status() < 100) {
                return r;
            }
        }
    }

    private Response readAfterStatus(InputStream in, String statusLine) throws IOException {
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x status line: '" + abbreviate(statusLine) + "'");
        }
        int status = parseStatus(statusLine);
        boolean http10 = statusLine.startsWith("HTTP/1.0");
        long contentLength = -1;
        boolean chunked = false;
        Boolean connectionKeepAlive = null;
        for (String h = readLine(in, false); !h.isEmpty(); h = readLine(in, false)) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: '" + abbreviate(h) + "'");
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> contentLength = parseLength(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> connectionKeepAlive = value.contains("close") ? Boolean.FALSE
                        : value.contains("keep-alive") ? Boolean.TRUE : connectionKeepAlive;
                default -> { }
            }
        }
        boolean keepAlive = connectionKeepAlive != null ? connectionKeepAlive : !http10;
        if (status < 200 || status == 204 || status == 304) {
            return new Response(status, keepAlive, 0);
        }
        if (chunked) {
            return new Response(status, keepAlive, skipChunked(in));
        }
        if (contentLength >= 0) {
            skipExactly(in, contentLength);
            return new Response(status, keepAlive, contentLength);
        }
        return new Response(status, false, skipToEnd(in));
    }

    private long skipChunked(InputStream in) throws IOException {
        long total = 0;
        while (true) {
            String sizeLine = readLine(in, false);
            int semi = sizeLine.indexOf(';');
            String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size line: '" + abbreviate(sizeLine) + "'");
            }
            if (size < 0) {
                throw new IOException("negative chunk size: '" + abbreviate(sizeLine) + "'");
            }
            if (size == 0) {
                while (!readLine(in, false).isEmpty()) {
                    // trailers: ignored
                }
                return total;
            }
            skipExactly(in, size);
            total += size;
            if (!readLine(in, false).isEmpty()) {
                throw new IOException("chunk of " + size + " bytes not followed by CRLF");
            }
        }
    }

    private static void skipExactly(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed with " + left + " of " + n + " body bytes unread");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static long skipToEnd(InputStream in) throws IOException {
        long total = 0;
        byte[] buf = new byte[8192];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            total += n;
        }
        return total;
    }

    /** A CRLF- (or LF-) terminated line without its terminator, as ISO-8859-1. */
    private String readLine(InputStream in, boolean first) throws IOException {
        int len = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (first && len == 0) {
                    throw new NoResponseException();
                }
                throw new EOFException("connection closed in the middle of a response head");
            }
            if (b == '\n') {
                if (len > 0 && line[len - 1] == '\r') {
                    len--;
                }
                return new String(line, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (len == line.length) {
                throw new IOException("response head line longer than " + MAX_LINE + " bytes");
            }
            line[len++] = (byte) b;
        }
    }

    private static int parseStatus(String statusLine) throws IOException {
        try {
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status code in '" + abbreviate(statusLine) + "'");
        }
    }

    private static long parseLength(String value) throws IOException {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IOException("bad Content-Length '" + abbreviate(value) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
