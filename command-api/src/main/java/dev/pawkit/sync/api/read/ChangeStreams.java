package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.write.CommandResultListener;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.runtime.PawkitProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * The change streams open on this instance, by user: hands each user's outcomes to their streams,
 * keeps the limits (per user, per instance), beats the heartbeat, and ends every stream before the
 * web server shuts down, so that graceful shutdown does not wait for streams that never end.
 */
@Component
class ChangeStreams implements SmartLifecycle, DisposableBean {

    /** Why a stream was not opened: too many of this user's (429) or of this instance's (503). */
    enum Refusal { USER_LIMIT, INSTANCE_LIMIT }

    private final PawkitProperties.Streams limits;
    private final ChangeFeedPages pages;
    private final Map<String, List<ChangeStream>> byUser = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private volatile boolean running;
    private ScheduledFuture<?> heartbeats;

    ChangeStreams(PawkitProperties properties, ChangeFeedPages pages, CommandResultListener results) {
        this.limits = properties.streams();
        this.pages = pages;
        this.pool = Executors.newFixedThreadPool(limits.threads(), new CustomizableThreadFactory("change-streams-"));
        this.timer = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("change-stream-timer-"));
        results.observeAll(this::deliver);
    }

    /**
     * A new stream of the user's changes after {@code position}, registered before its first read so
     * that no outcome decided meanwhile is missed; empty with the reason when a limit is reached.
     */
    Result open(String userId, String authorization, long position, Instant tokenExpiry) {
        if (!running || open.incrementAndGet() > limits.perInstance()) {
            if (running) {
                open.decrementAndGet();
            }
            return new Result(Optional.empty(), Refusal.INSTANCE_LIMIT);
        }
        Instant endsAt = Instant.now().plus(limits.maxLifetime());
        if (tokenExpiry != null && tokenExpiry.isBefore(endsAt)) {
            endsAt = tokenExpiry;
        }
        ChangeStream stream = new ChangeStream(userId, authorization, position, endsAt, pages, pool, timer,
                this::forget);
        boolean[] added = new boolean[1];
        byUser.compute(userId, (user, streams) -> {
            List<ChangeStream> list = streams == null ? new CopyOnWriteArrayList<>() : streams;
            added[0] = list.size() < limits.perUser() && list.add(stream);
            return list.isEmpty() ? null : list;
        });
        if (!added[0]) {
            open.decrementAndGet();
            return new Result(Optional.empty(), Refusal.USER_LIMIT);
        }
        return new Result(Optional.of(stream), null);
    }

    /** A closed stream (ended, failed, or its client gone) leaves the registry and frees its place. */
    void forget(ChangeStream stream) {
        byUser.computeIfPresent(stream.userId(), (user, streams) -> {
            if (streams.remove(stream)) {
                open.decrementAndGet();
            }
            return streams.isEmpty() ? null : streams;
        });
    }

    record Result(Optional<ChangeStream> stream, Refusal refusal) {
    }

    int openStreams() {
        return open.get();
    }

    int openStreamsOf(String userId) {
        List<ChangeStream> streams = byUser.get(userId);
        return streams == null ? 0 : streams.size();
    }

    private void deliver(OutcomeEnvelope outcome) {
        List<ChangeStream> streams = byUser.get(outcome.userId());
        if (streams != null) {
            streams.forEach(stream -> stream.offer(outcome));
        }
    }

    private void heartbeat() {
        Instant now = Instant.now();
        byUser.values().forEach(streams -> streams.forEach(stream -> stream.tick(now)));
    }

    /** Restartable (a stopped context may be started again): the pools live as long as the bean. */
    @Override
    public synchronized void start() {
        long period = limits.heartbeat().toMillis();
        heartbeats = timer.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (heartbeats != null) {
            heartbeats.cancel(false);
        }
        byUser.values().forEach(streams -> streams.forEach(ChangeStream::end));
        // Let the ends be written before the web server stops.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (open.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
        timer.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
