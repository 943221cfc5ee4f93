package dev.pawkit.sync.bench;

import dev.pawkit.sync.infra.FreePorts;
import dev.pawkit.sync.infra.LocalKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;

/** A broker of the local stack's configuration in this JVM, on a free port and a new directory: nothing else on it. */
final class FreshBroker {

    private FreshBroker() {
    }

    static LocalKafkaBroker start(String name) throws IOException {
        return LocalKafkaBroker.start(Files.createTempDirectory(name).resolve("kafka"), FreePorts.pick());
    }
}
