package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Phase 1 of the seed, "Testing Completed": every local change is queued durably before anything
 * else, shown at once, and sent later, also after the client was closed and opened again (the
 * JVM's "refresh"). Checked against the real server, each effect exactly once.
 */
class PersistentQueueTest extends StackTest {

    @Test
    void cardCreationSurvivesHardRefresh() throws Exception {
        proxy.down();
        PawkitSyncClient before = client("laptop");
        before.start();
        LocalCard card = before.create(note("survives a refresh").withTitle("Draft"));
        assertThat(before.cards()).extracting(LocalCard::id).containsExactly(card.id());
        String key = before.operations().get(0).idempotencyKey();
        before.close();

        proxy.up();
        PawkitSyncClient after = client("laptop");
        assertThat(after.card(card.id())).get().extracting(LocalCard::syncState).isEqualTo(LocalCard.SyncState.PENDING);
        after.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> after.status().idle());

        JsonNode onServer = server().card(card.id()).orElseThrow();
        assertThat(onServer.get("title").asString()).isEqualTo("Draft");
        assertThat(onServer.get("version").asLong()).isEqualTo(1);
        assertAppliedOnce(card.id(), List.of(key));
        assertThat(after.card(card.id())).get().extracting(LocalCard::syncState).isEqualTo(LocalCard.SyncState.SYNCED);
    }

    @Test
    void cardUpdatesPersistThroughBrowserClose() throws Exception {
        PawkitSyncClient before = client("laptop");
        LocalCard card = before.create(note("v1").withTags("read"));
        String createKey = before.operations().get(0).idempotencyKey();
        syncAll(before);

        proxy.down();
        before.update(card.id(), CardPatch.empty().title("Edited offline").tags("read", "later"));
        String updateKey = before.operations().get(0).idempotencyKey();
        before.close();

        PawkitSyncClient after = client("laptop");
        LocalCard shown = after.card(card.id()).orElseThrow();
        assertThat(shown.fields().title()).isEqualTo("Edited offline");
        assertThat(shown.syncState()).isEqualTo(LocalCard.SyncState.PENDING);
        proxy.up();
        syncAll(after);

        JsonNode onServer = server().card(card.id()).orElseThrow();
        assertThat(onServer.get("title").asString()).isEqualTo("Edited offline");
        assertThat(onServer.get("tags").values()).extracting(JsonNode::asString).containsExactly("read", "later");
        assertThat(onServer.get("version").asLong()).isEqualTo(2);
        assertAppliedOnce(card.id(), List.of(createKey, updateKey));
    }

    @Test
    void cardDeletionsStayDeletedAfterRefresh() throws Exception {
        PawkitSyncClient before = client("laptop");
        LocalCard card = before.create(note("to be deleted"));
        String createKey = before.operations().get(0).idempotencyKey();
        syncAll(before);

        proxy.down();
        before.delete(card.id());
        String deleteKey = before.operations().get(0).idempotencyKey();
        assertThat(before.cards()).isEmpty();
        before.close();

        PawkitSyncClient after = client("laptop");
        assertThat(after.cards()).isEmpty();
        proxy.up();
        // The zombie-card case: a pull while the deletion is still queued sees the card alive on the
        // server, and still must not bring it back.
        after.pull();
        assertThat(after.cards()).isEmpty();
        syncAll(after);
        after.pull();
        assertThat(after.cards()).isEmpty();
        after.close();
        assertThat(client("laptop").cards()).isEmpty();

        assertThat(server().card(card.id())).isEmpty();
        assertThat(server().changes()).singleElement().satisfies(tombstone -> {
            assertThat(tombstone.get("deleted").asBoolean()).isTrue();
            assertThat(tombstone.get("version").asLong()).isEqualTo(2);
        });
        assertAppliedOnce(card.id(), List.of(createKey, deleteKey));
    }

    @Test
    void multipleRapidOperationsHandledCorrectly() throws Exception {
        PawkitSyncClient client = client("laptop");
        LocalCard a = client.create(note("a"));
        for (int i = 1; i <= 10; i++) {
            client.update(a.id(), CardPatch.empty().title("title " + i));
        }
        LocalCard b = client.create(note("b"));
        client.delete(b.id());
        LocalCard c = client.create(note("c").withTags("x"));
        client.update(c.id(), CardPatch.empty().tags("x", "y"));
        // Everything shows at once, before any answer.
        assertThat(client.cards()).extracting(LocalCard::id).containsExactlyInAnyOrder(a.id(), c.id());
        assertThat(client.card(a.id()).orElseThrow().fields().title()).isEqualTo("title 10");
        // Their keys, before the drain starts: a running drain could send the first ones before
        // this snapshot, and the check below needs every key.
        List<Operation> queued = client.operations();
        client.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> client.status().idle());

        // None was sent before the drain, so each card's changes were merged into its create (and
        // b, created and deleted here, never reached the server): the end state, in fewer requests.
        assertThat(client.status()).isEqualTo(new SyncStatus(0, 0, 0, false));
        assertThat(server().card(a.id()).orElseThrow().get("title").asString()).isEqualTo("title 10");
        assertThat(server().card(a.id()).orElseThrow().get("version").asLong()).isEqualTo(1);
        assertThat(server().card(b.id())).isEmpty();
        assertThat(server().card(c.id()).orElseThrow().get("tags").values()).extracting(JsonNode::asString)
                .containsExactly("x", "y");
        assertThat(server().liveCards()).extracting(card -> card.get("id").asString())
                .containsExactlyInAnyOrder(a.id(), c.id());
        for (LocalCard card : List.of(a, b, c)) {
            assertMergedAppliedOnce(card.id(), queued.stream().filter(op -> op.cardId().equals(card.id()))
                    .map(Operation::idempotencyKey).toList());
        }
        assertThat(server().history(a.id())).hasSize(1);
        assertThat(server().history(b.id())).isEmpty();
        assertThat(server().history(c.id())).hasSize(1);
    }

    @Test
    void metadataRefreshButtonWorksManually() throws Exception {
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(CardFields.url("https://example.com/article").withTitle("Article"));
        syncAll(client);

        client.refreshMetadata(card.id());
        String refreshKey = client.operations().get(0).idempotencyKey();
        syncAll(client);

        // The refresh answers 202 (the fetch runs on); the client follows it to the decision.
        assertThat(proxy.exchanges()).anySatisfy(e -> {
            assertThat(e.path()).endsWith("/refresh-metadata");
            assertThat(e.status()).isEqualTo(202);
        });
        assertThat(proxy.exchanges()).anySatisfy(e -> assertThat(e.path()).startsWith("/api/commands/"));
        List<ServerReads.Event> history = server().history(card.id());
        assertThat(history).filteredOn(e -> refreshKey.equals(e.idempotencyKey())).hasSize(1);
        assertThat(client.card(card.id()).orElseThrow().serverVersion()).isGreaterThanOrEqualTo(2);
    }
}
