package io.modelmesh.sdk;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A body publisher that reports how many bytes of its delegate the HTTP client has taken so far: upload progress
 * without reading the file twice. A re-subscription (a retried request) starts counting from zero again.
 */
final class CountingPublisher implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher delegate;
    private final LongConsumer progress;

    CountingPublisher(HttpRequest.BodyPublisher delegate, LongConsumer progress) {
        this.delegate = delegate;
        this.progress = progress;
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        delegate.subscribe(new Flow.Subscriber<>() {
            private long sent;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                progress.accept(0);
                subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
                sent += item.remaining();
                subscriber.onNext(item);
                progress.accept(sent);
            }

            @Override
            public void onError(Throwable throwable) {
                subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
                subscriber.onComplete();
            }
        });
    }
}
