package io.modelmesh.server.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An {@link HttpResponse.BodyHandler} that reads at most {@code limit} bytes and fails past it, without allocating
 * from a declared length: what a server reads from its peers (a node's acknowledgement, the control plane's table) is
 * bounded like any other input.
 */
public final class BoundedBody {
    private BoundedBody() {
    }

    /** The body as bytes; the response future fails with an IOException naming the limit when it is longer. */
    public static HttpResponse.BodyHandler<byte[]> ofByteArray(int limit) {
        return info -> new Subscriber(limit);
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Subscriber(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : items) {
                if (out.size() + b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("the answer is longer than " + limit + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
