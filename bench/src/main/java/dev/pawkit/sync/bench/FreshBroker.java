package dev.pawkit.sync.bench;

import dev.pawkit.sync.infra.LocalKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;

/** A broker of the local stack's configuration in this JVM, on a free port and a new directory: nothing else on it. */
final class FreshBroker {

    private FreshBroker() {
    }

    static LocalKafkaBroker start(String name) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return LocalKafkaBroker.start(Files.createTempDirectory(name).resolve("kafka"), port);
    }
}
