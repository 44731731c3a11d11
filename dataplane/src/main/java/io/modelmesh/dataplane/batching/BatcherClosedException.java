package io.modelmesh.dataplane.batching;

import io.modelmesh.dataplane.UnavailableException;

/**
 * The batcher was shut down (its model version left the routing table) before this request was queued. The request was
 * not run; the caller may re-read the routing table and retry, as it does when a model handle is already closed.
 * Maps to HTTP 503.
 */
public class BatcherClosedException extends UnavailableException {
    public BatcherClosedException(String message) {
        super(message);
    }
}
