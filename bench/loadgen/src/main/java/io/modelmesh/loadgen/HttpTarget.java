package io.modelmesh.loadgen;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Where requests go and the exact bytes of the one request sent over and over (HTTP/1.1, keep-alive). */
record HttpTarget(String host, int port, byte[] requestBytes) {

    /** One request header; names are sent as given. */
    record Header(String name, String value) {
        /** {@code "Name: value"} or {@code "Name:value"}. */
        static Header parse(String spec) {
            int colon = spec.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--header wants NAME:VALUE, got '" + spec + "'");
            }
            String name = spec.substring(0, colon).trim();
            String value = spec.substring(colon + 1).trim();
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c >= 127)
                    || value.chars().anyMatch(c -> c == '\r' || c == '\n')) {
                throw new IllegalArgumentException("--header '" + spec + "' is not a valid HTTP header");
            }
            return new Header(name, value);
        }

        /** Without the value of an {@code Authorization} header, so a token never reaches a message or log. */
        @Override
        public String toString() {
            return name + ": " + (name.equalsIgnoreCase("Authorization") ? "<redacted>" : value);
        }
    }

    static HttpTarget of(URI url, String method, byte[] body, List<Header> headers) {
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be http://HOST[:PORT]/PATH (no TLS), got " + url);
        }
        int port = url.getPort() == -1 ? 80 : url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        StringBuilder head = new StringBuilder(256);
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(url.getHost()).append(':').append(port).append("\r\n");
        boolean contentType = false;
        for (Header h : headers) {
            String lower = h.name().toLowerCase(Locale.ROOT);
            if (lower.equals("content-length") || lower.equals("host") || lower.equals("transfer-encoding")) {
                throw new IllegalArgumentException("--header " + h.name() + " is set by the load generator");
            }
            contentType |= lower.equals("content-type");
            head.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        if (body.length > 0 && !contentType) {
            head.append("Content-Type: application/json\r\n");
        }
        if (body.length > 0 || !method.equals("GET") && !method.equals("HEAD")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return new HttpTarget(url.getHost(), port, out.toByteArray());
    }
}
