package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Changes of one card that were never sent are merged into one operation just before it is sent
 * (in the store, in the transaction that marks it sent); what went on the wire once is never
 * merged into. Checked on the server: each card's history lists exactly the keys that were sent.
 */
class MergeUnsentTest extends StackTest {

    @Test
    void aCreateAndItsEditsMadeOfflineAreOneCreateOnTheServer() throws Exception {
        proxy.down();
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("draft"));
        client.update(card.id(), CardPatch.empty().title("Named"));
        client.update(card.id(), CardPatch.empty().title("Renamed").tags("read"));
        String createKey = client.operations().get(0).idempotencyKey();
        assertThat(client.drainNow().offline()).isTrue();
        client.close();

        proxy.up();
        PawkitSyncClient restarted = client("laptop");
        syncAll(restarted);

        JsonNode onServer = server().card(card.id()).orElseThrow();
        assertThat(onServer.get("title").asString()).isEqualTo("Renamed");
        assertThat(onServer.get("tags").values()).extracting(JsonNode::asString).containsExactly("read");
        assertThat(onServer.get("version").asLong()).isEqualTo(1);
        assertAppliedOnce(card.id(), List.of(createKey));
        assertThat(proxy.writes()).hasSize(1);
    }

    @Test
    void editsOfASyncedCardMadeOfflineAreOneUpdateOnTheFirstEditsVersion() throws Exception {
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("text").withTitle("Before"));
        String createKey = client.operations().get(0).idempotencyKey();
        syncAll(client);

        client.update(card.id(), CardPatch.empty().title("One").notes("n"));
        client.update(card.id(), CardPatch.empty().title("Two"));
        String updateKey = client.operations().get(0).idempotencyKey();
        syncAll(client);

        JsonNode onServer = server().card(card.id()).orElseThrow();
        assertThat(onServer.get("title").asString()).isEqualTo("Two");
        assertThat(onServer.get("notes").asString()).isEqualTo("n");
        assertAppliedOnce(card.id(), List.of(createKey, updateKey));
        assertThat(proxy.writes()).filteredOn(e -> e.method().equals("PATCH")).singleElement()
                .extracting(FaultProxy.Exchange::body).asString().contains("\"version\":1");
    }

    @Test
    void editsThatEndWhereTheyStartedSendNothing() throws Exception {
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("text").withTitle("Before"));
        syncAll(client);
        int writes = proxy.writes().size();

        client.update(card.id(), CardPatch.empty().title("Typo"));
        client.update(card.id(), CardPatch.empty().title("Before"));
        syncAll(client);

        assertThat(proxy.writes()).hasSize(writes);
        assertThat(server().history(card.id())).hasSize(1);
    }

    @Test
    void aCardCreatedAndDeletedOfflineNeverReachesTheServer() throws Exception {
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("short-lived"));
        client.update(card.id(), CardPatch.empty().title("x"));
        client.delete(card.id());
        syncAll(client);

        assertThat(client.operations()).isEmpty();
        assertThat(server().history(card.id())).isEmpty();
        assertThat(proxy.writes()).isEmpty();
    }

    @Test
    void aDeleteAfterOfflineEditsIsOnlyTheDelete() throws Exception {
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("text"));
        String createKey = client.operations().get(0).idempotencyKey();
        syncAll(client);

        client.update(card.id(), CardPatch.empty().title("Edited"));
        client.delete(card.id());
        String mergedKey = client.operations().get(0).idempotencyKey();
        syncAll(client);

        assertThat(server().card(card.id())).isEmpty();
        assertAppliedOnce(card.id(), List.of(createKey, mergedKey));
        assertThat(server().history(card.id()).get(1).type()).containsIgnoringCase("deleted");
    }

    @Test
    void anOperationOnTheWireIsNeverMergedInto() throws Exception {
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("text"));
        String createKey = client.operations().get(0).idempotencyKey();
        syncAll(client);
        // The first update is held by the proxy, so it is in flight while the second is made.
        proxy.delay(FaultProxy.method("PATCH"), Duration.ofMillis(1500), 1);
        client.start();
        client.update(card.id(), CardPatch.empty().title("In flight"));
        await().atMost(Duration.ofSeconds(5)).until(() -> client.operations().get(0).sent());
        client.update(card.id(), CardPatch.empty().title("After"));
        List<String> keys = client.operations().stream().map(Operation::idempotencyKey).toList();
        assertThat(keys).hasSize(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> client.status().idle());

        assertThat(server().card(card.id()).orElseThrow().get("title").asString()).isEqualTo("After");
        assertAppliedOnce(card.id(), List.of(createKey, keys.get(0), keys.get(1)));
    }

    @Test
    void aStoreFromBeforeMergingCountsItsOperationsAsSent() throws Exception {
        PawkitSyncClient client = client("old");
        LocalCard card = client.create(note("queued by an older version"));
        client.close();
        // An older store: no sent column. Its operations may have been sent, so none is merged into.
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("old.db"));
                var statement = connection.createStatement()) {
            statement.execute("ALTER TABLE operations DROP COLUMN sent");
        }

        PawkitSyncClient reopened = client("old");
        assertThat(reopened.operations()).singleElement().extracting(Operation::sent).isEqualTo(true);
        reopened.update(card.id(), CardPatch.empty().title("later"));
        syncAll(reopened);
        assertThat(server().history(card.id())).hasSize(2);
    }
}
