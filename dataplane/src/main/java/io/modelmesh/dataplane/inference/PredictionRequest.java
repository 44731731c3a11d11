package io.modelmesh.dataplane.inference;

/**
 * What a handler hands the {@link PredictionService}: the body's rows for a version's input, the request's headers and
 * its body as text, with no HTTP type in sight. One object per request (it replaces the parse lambda).
 */
public interface PredictionRequest {
    /** Reads the body's rows against a version's input binding (may be called again for a shadow version). */
    ParsedInput parse(InputBinding binding);

    /** The value of request header {@code name}, or null when absent (sticky routing reads its key here). */
    default String header(String name) {
        return null;
    }

    /** The body as text, for shadow diff samples; called off the request thread and only for mirrored requests. */
    default String bodyText() {
        return "";
    }

    /**
     * The deadline the caller asked for ({@code X-Request-Timeout}), or null; it can only shorten the version's.
     *
     * @throws io.modelmesh.engine.InvalidInputException when the caller sent one that is not a positive duration
     */
    default java.time.Duration timeout() {
        return null;
    }

    /** The request's id, or null. */
    default String requestId() {
        return null;
    }

    /**
     * Called by whoever keeps the request after its handler returns (a shadow comparison): the request's body stays
     * counted against the node's body budget until the returned action runs.
     */
    default Runnable retain() {
        return () -> { };
    }
}
