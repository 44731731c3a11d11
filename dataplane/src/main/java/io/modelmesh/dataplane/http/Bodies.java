package io.modelmesh.dataplane.http;

import io.helidon.webserver.http.ServerRequest;
import io.modelmesh.dataplane.PayloadTooLargeException;
import io.modelmesh.dataplane.UnavailableException;
import io.modelmesh.engine.InvalidInputException;
import io.modelmesh.server.io.ReadWatchdog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Reads request bodies as their bytes arrive. A Content-Length over the node's limit is refused (413) before reading;
 * below it, the announced length is a claim, not a budget: at most {@link #EXACT_UP_TO} bytes are allocated on its
 * word (the common small body is read into one array of its exact length), and a larger body grows its buffer as bytes
 * arrive, each growth reserved from the node's {@link BodyBudget} (503 with Retry-After when the node already holds its
 * limit of body bytes). A chunked body is read only up to the limit. Reads that stall are ended by the
 * {@link ReadWatchdog}. No entity reads as empty, so the parser can say what to send.
 */
final class Bodies {
    /** Largest announced body allocated in one piece before its bytes arrive. */
    static final int EXACT_UP_TO = 64 * 1024;
    private static final int FIRST_CHUNK = 8 * 1024;

    private final long max;
    private final BodyBudget budget;
    private final ReadWatchdog watchdog;

    Bodies(long max, BodyBudget budget, ReadWatchdog watchdog) {
        this.max = max;
        this.budget = budget;
        this.watchdog = watchdog;
    }

    long max() {
        return max;
    }

    /** The body; close it when done with it. */
    RequestBody read(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return RequestBody.EMPTY;
        }
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > max) {
            throw tooLarge();
        }
        long expected = declared.orElse(-1);
        int first = expected >= 0 ? (int) Math.min(expected, EXACT_UP_TO) : FIRST_CHUNK;
        reserve(first);
        long reserved = first;
        try (InputStream in = watchdog.guard(req.content().inputStream())) {
            byte[] buf = new byte[first];
            int n = 0;
            while (true) {
                if (n == buf.length) {
                    if (n == expected || n >= max) {
                        if (in.read() >= 0) {
                            throw n == expected ? new InvalidInputException("the body is longer than the " + expected
                                    + " bytes its Content-Length announced") : tooLarge();
                        }
                        break;
                    }
                    int grown = (int) Math.min(expected >= 0 ? expected : max, Math.max(2L * buf.length, FIRST_CHUNK));
                    reserve(grown - buf.length);
                    reserved += grown - buf.length;
                    buf = Arrays.copyOf(buf, grown);
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (expected >= 0 && n < expected) {
                throw new InvalidInputException("the body ended after " + n + " of the " + expected
                        + " bytes its Content-Length announced");
            }
            RequestBody body = new RequestBody(n == buf.length ? buf : Arrays.copyOf(buf, n), budget, reserved);
            reserved = 0; // the body owns the reservation now
            return body;
        } catch (SocketTimeoutException e) {
            // the connection is closed already; a 4xx rather than a logged 500 for a client that went quiet
            throw new InvalidInputException(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed: " + e.getMessage(), e);
        } finally {
            if (reserved > 0) {
                budget.release(reserved);
            }
        }
    }

    private void reserve(long bytes) {
        if (!budget.tryReserve(bytes)) {
            throw new UnavailableException("the node holds its limit of " + budget.limit() + " bytes of request "
                    + "bodies (MM_MAX_INFLIGHT_BYTES / --max-inflight-bytes); retry shortly");
        }
    }

    private PayloadTooLargeException tooLarge() {
        return new PayloadTooLargeException("the request body is over this node's limit of " + max + " bytes; "
                + "split the rows over several /batch requests");
    }
}
