package dev.pawkit.sync.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client process for the killed-while-following test: opens the store file, starts (pull, then
 * the live stream) and runs until it is killed. Arguments: server URI, token, store file.
 */
public final class FollowProcess {

    private FollowProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        SyncConfig config = SyncConfig.builder(URI.create(args[0]), () -> args[1], Path.of(args[2]))
                .pollInterval(Duration.ofHours(1))
                .build();
        PawkitSyncClient client = PawkitSyncClient.open(config);
        client.start();
        System.out.println("following");
        Thread.sleep(Long.MAX_VALUE);
    }
}
