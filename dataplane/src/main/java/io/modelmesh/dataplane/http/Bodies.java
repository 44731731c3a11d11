package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.dataplane.PayloadTooLargeException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * Request bodies with the node's size limit: a declared Content-Length over it is refused before reading, a chunked
 * body is read only up to it. No entity reads as empty, so the parser can say what to send.
 */
final class Bodies {
    private static final byte[] EMPTY = new byte[0];

    private Bodies() {
    }

    static byte[] read(ServerRequest req, long max) {
        if (!req.content().hasEntity()) {
            return EMPTY;
        }
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent()) {
            if (declared.getAsLong() > max) {
                throw tooLarge(max);
            }
            return req.content().as(byte[].class);
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (body.length > max) {
                throw tooLarge(max);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    private static PayloadTooLargeException tooLarge(long max) {
        return new PayloadTooLargeException("the request body is over this node's limit of " + max + " bytes; "
                + "split the rows over several /batch requests");
    }
}
