package dev.pawkit.sync.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client process for the kill -9 test: opens the queue file, drains it in the background, and
 * exits once nothing is left to send. Arguments: server URI, token, store file, requests in flight,
 * operations per batch.
 */
public final class DrainProcess {

    private DrainProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        SyncConfig config = SyncConfig.builder(URI.create(args[0]), () -> args[1], Path.of(args[2]))
                .retryPolicy(new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(160), 3, 2.0))
                .drainInterval(Duration.ofMillis(50))
                .maxInFlight(Integer.parseInt(args[3]))
                .batchSize(Integer.parseInt(args[4]))
                .build();
        try (PawkitSyncClient client = PawkitSyncClient.open(config)) {
            System.out.println("queued at start: " + client.status());
            client.start();
            while (!client.status().idle()) {
                Thread.sleep(20);
            }
            System.out.println("drained: " + client.status());
        }
    }
}
