package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.testsupport.Tokens;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ten lines client/README.md shows, run as they are written (only the server and file differ). */
class ReadmeExampleTest extends StackTest {

    @Test
    void theReadmeExampleWorks() throws Exception {
        String token = Tokens.forUser(user);
        URI server = stack.uri();
        Path file = dir.resolve("pawkit.db");
        // --- as in README ---
        var config = SyncConfig.builder(server, () -> token, file)
                .conflictResolver(new ThreeWayMerge(conflict -> TrueConflictCallback.Side.MINE))
                .listener(new SyncListener() { public void statusChanged(SyncStatus s) { System.out.println(s); } })
                .build();
        try (PawkitSyncClient client = PawkitSyncClient.open(config)) {
            client.start();                          // sends what a previous run left, then each change
            LocalCard card = client.create(CardFields.url("https://example.com").withTitle("Example").withTags("read"));
            client.update(card.id(), CardPatch.empty().notes("read later"));   // shown now, sent in the background
            client.pull();                           // other devices' changes, tombstones included
            client.cards().forEach(c -> System.out.println(c.fields().title() + " " + c.syncState()));
            // --- end ---
            org.awaitility.Awaitility.await().until(() -> client.status().idle());
            assertThat(server().card(card.id()).orElseThrow().get("notes").asString()).isEqualTo("read later");
        }
    }
}
