package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The body limit, driven by hand as the HTTP client would drive it. */
class BoundedBodyTest {

    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Flow.Subscription subscription = new Flow.Subscription() {
        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled.set(true);
        }
    };

    @Test
    void stopsReadingAtTheLimitAndKeepsWhatCameBefore() throws Exception {
        HttpResponse.BodySubscriber<BoundedBody> body = BoundedBody.subscriber(10);
        body.onSubscribe(subscription);
        body.onNext(List.of(ByteBuffer.wrap("hello ".getBytes())));
        assertThat(cancelled).isFalse();
        body.onNext(List.of(ByteBuffer.wrap("world, and more".getBytes())));
        assertThat(cancelled).isTrue();
        BoundedBody read = body.getBody().toCompletableFuture().get();
        assertThat(new String(read.bytes())).isEqualTo("hello worl");
        assertThat(read.truncated()).isTrue();
    }

    @Test
    void aBodyWithinTheLimitIsReadWhole() throws Exception {
        HttpResponse.BodySubscriber<BoundedBody> body = BoundedBody.subscriber(100);
        body.onSubscribe(subscription);
        body.onNext(List.of(ByteBuffer.wrap("<p>".getBytes()), ByteBuffer.wrap("hi".getBytes())));
        body.onComplete();
        BoundedBody read = body.getBody().toCompletableFuture().get();
        assertThat(new String(read.bytes())).isEqualTo("<p>hi");
        assertThat(read.truncated()).isFalse();
        assertThat(requested.get()).isEqualTo(2);
    }

    @Test
    void aLimitOfZeroReadsNothing() throws Exception {
        HttpResponse.BodySubscriber<BoundedBody> body = BoundedBody.subscriber(0);
        body.onSubscribe(subscription);
        assertThat(cancelled).isTrue();
        assertThat(requested.get()).isZero();
        assertThat(body.getBody().toCompletableFuture().get().bytes()).isEmpty();
    }
}
