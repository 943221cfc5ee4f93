package dev.pawkit.sync.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Everything a {@link PawkitSyncClient} needs: where the server and the local store are, the token,
 * the retry policy, the conflict policy, and the clock, random source and sleeper (real ones by
 * default; tests pass fakes to be fast and deterministic).
 *
 * @param token called for every request, so a refreshed token is picked up
 * @param drainInterval how often the background drain runs anyway (to resume once the server is back)
 * @param maxInFlight how many requests are in flight at once (each a single operation or a batch)
 * @param batchSize how many operations (of different cards) one request may carry, 1 to 100; 1 sends
 *     each operation alone
 * @param liveChanges whether a started client follows the server's changes (pull, then the live stream)
 * @param pollInterval how often the change feed is polled while the server refuses the stream
 * @param pollTimeout how long a 202's status URL is polled before the send counts as a transient failure
 */
public record SyncConfig(
        URI server,
        Supplier<String> token,
        Path storeFile,
        RetryPolicy retryPolicy,
        Duration connectTimeout,
        Duration requestTimeout,
        Duration drainInterval,
        int maxInFlight,
        int batchSize,
        boolean liveChanges,
        Duration pollInterval,
        Duration pollTimeout,
        int pageSize,
        ConflictResolver conflictResolver,
        SyncListener listener,
        Clock clock,
        DoubleSupplier random,
        Sleeper sleeper) {

    public SyncConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(storeFile, "storeFile");
        if (maxInFlight < 1 || pageSize < 1) {
            throw new IllegalArgumentException("maxInFlight and pageSize must be at least 1");
        }
        if (batchSize < 1 || batchSize > BatchSender.MAX_OPERATIONS) {
            throw new IllegalArgumentException("batchSize must be 1 to " + BatchSender.MAX_OPERATIONS);
        }
    }

    public static Builder builder(URI server, Supplier<String> token, Path storeFile) {
        return new Builder(server, token, storeFile);
    }

    /**
     * Defaults: {@link RetryPolicy#DEFAULT}, 5 s to connect, 30 s per request, a drain every 5 s,
     * 8 requests in flight, batches of up to 100, live changes on with the feed polled every 30 s
     * where the stream is refused, 60 s of polling a 202, pages of 500, {@link ThreeWayMerge} where my side wins true
     * conflicts (the server's values are kept in the conflict journal).
     */
    public static final class Builder {
        private final URI server;
        private final Supplier<String> token;
        private final Path storeFile;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration drainInterval = Duration.ofSeconds(5);
        private int maxInFlight = 8;
        private int batchSize = BatchSender.MAX_OPERATIONS;
        private boolean liveChanges = true;
        private Duration pollInterval = Duration.ofSeconds(30);
        private Duration pollTimeout = Duration.ofSeconds(60);
        private int pageSize = 500;
        private ConflictResolver conflictResolver = new ThreeWayMerge(conflict -> TrueConflictCallback.Side.MINE);
        private SyncListener listener = new SyncListener() { };
        private Clock clock = Clock.systemUTC();
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder(URI server, Supplier<String> token, Path storeFile) {
            this.server = server;
            this.token = token;
            this.storeFile = storeFile;
        }

        public Builder retryPolicy(RetryPolicy value) {
            retryPolicy = value;
            return this;
        }

        public Builder connectTimeout(Duration value) {
            connectTimeout = value;
            return this;
        }

        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder drainInterval(Duration value) {
            drainInterval = value;
            return this;
        }

        public Builder maxInFlight(int value) {
            maxInFlight = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder liveChanges(boolean value) {
            liveChanges = value;
            return this;
        }

        public Builder pollInterval(Duration value) {
            pollInterval = value;
            return this;
        }

        public Builder pollTimeout(Duration value) {
            pollTimeout = value;
            return this;
        }

        public Builder pageSize(int value) {
            pageSize = value;
            return this;
        }

        public Builder conflictResolver(ConflictResolver value) {
            conflictResolver = value;
            return this;
        }

        public Builder listener(SyncListener value) {
            listener = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        /** Uniform numbers in [0, 1) for the backoff's jitter. */
        public Builder random(DoubleSupplier value) {
            random = value;
            return this;
        }

        public Builder sleeper(Sleeper value) {
            sleeper = value;
            return this;
        }

        public SyncConfig build() {
            return new SyncConfig(server, token, storeFile, retryPolicy, connectTimeout, requestTimeout,
                    drainInterval, maxInFlight, batchSize, liveChanges, pollInterval, pollTimeout, pageSize, conflictResolver, listener, clock, random,
                    sleeper);
        }
    }
}
