package io.modelmesh.dataplane.batching;

import io.modelmesh.dataplane.UnavailableException;

/**
 * A batcher slot's queue is at capacity: the node is overloaded for this model version and refuses the request at
 * once rather than queueing it behind work it cannot finish in time. Maps to HTTP 503 with {@code Retry-After}; as an
 * {@link UnavailableException} it gets 503 even where no handler names it.
 */
public class QueueFullException extends UnavailableException {
    public QueueFullException(String message) {
        super(message);
    }

    /** Overload is flow control, not a bug: skip the stack trace so refusing stays cheap when it matters most. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
