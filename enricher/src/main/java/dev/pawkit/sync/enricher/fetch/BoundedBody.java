package dev.pawkit.sync.enricher.fetch;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read up to a byte limit, then no further: past the limit the subscription is
 * cancelled (the connection closes) and what was read so far is the body. A limit of 0 reads
 * nothing, for answers whose body is not wanted (redirects, errors, non-HTML).
 *
 * @param bytes at most the limit
 * @param truncated whether the server had more to send
 */
public record BoundedBody(byte[] bytes, boolean truncated) {

    public static HttpResponse.BodySubscriber<BoundedBody> subscriber(long limit) {
        return new Subscriber(limit);
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<BoundedBody> {

        private final long limit;
        private final ByteArrayOutputStream read = new ByteArrayOutputStream();
        private final CompletableFuture<BoundedBody> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Subscriber(long limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<BoundedBody> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (limit == 0) {
                subscription.cancel();
                body.complete(new BoundedBody(new byte[0], true));
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                int room = (int) Math.min(limit - read.size(), buffer.remaining());
                byte[] chunk = new byte[room];
                buffer.get(chunk);
                read.write(chunk, 0, room);
                if (buffer.hasRemaining() || read.size() >= limit) {
                    subscription.cancel();
                    body.complete(new BoundedBody(read.toByteArray(), buffer.hasRemaining() || read.size() >= limit));
                    return;
                }
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(new BoundedBody(read.toByteArray(), false));
        }
    }
}
