package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Phase 4 of the seed, and two clients editing one card with each resolver. Every change is sent
 * with the version it was made on, so a stale change is never applied blindly: the resolver
 * decides, the decision is journaled, and what lost can be found again.
 */
class ConflictTest extends StackTest {

    private final List<Conflict> seen = new CopyOnWriteArrayList<>();
    private final List<ResolvedConflict> reported = new CopyOnWriteArrayList<>();

    /** Desktop and mobile hold version 1; desktop's edit lands first (version 2); mobile's is then stale. */
    private record Scene(PawkitSyncClient desktop, PawkitSyncClient mobile, String cardId) {
    }

    private Scene twoDevicesEditOneCard(ConflictResolver resolver) throws Exception {
        Scene scene = desktopEditsACardMobileHolds(resolver);
        scene.mobile().update(scene.cardId(), CardPatch.empty().title("Mobile title").notes("mobile notes").tags("b"));
        return scene;
    }

    /** Both devices got version 1, then the desktop's edit made version 2; the mobile has not pulled it. */
    private Scene desktopEditsACardMobileHolds(ConflictResolver resolver) throws Exception {
        PawkitSyncClient desktop = client("desktop");
        PawkitSyncClient mobile = open(config("mobile").conflictResolver(conflict -> {
            seen.add(conflict);
            return resolver.resolve(conflict);
        }).listener(new SyncListener() {
            @Override
            public void conflictResolved(ResolvedConflict conflict) {
                reported.add(conflict);
            }
        }));
        LocalCard card = desktop.create(note("shared").withTitle("Base").withNotes("base notes").withTags("a", "b"));
        syncAll(desktop);
        mobile.pull();
        assertThat(mobile.card(card.id()).orElseThrow().serverVersion()).isEqualTo(1);

        desktop.update(card.id(), CardPatch.empty().title("Desktop title").tags("a", "b", "x"));
        syncAll(desktop);
        return new Scene(desktop, mobile, card.id());
    }

    @Test
    void editCardOnTwoDevicesConflictDetected() throws Exception {
        Scene scene = twoDevicesEditOneCard(new KeepMine());
        syncAll(scene.mobile());

        assertThat(proxy.writes()).anySatisfy(e -> {
            assertThat(e.method()).isEqualTo("PATCH");
            assertThat(e.body()).contains("\"version\":1").contains("Mobile title");
            assertThat(e.status()).isEqualTo(409);
        });
        assertThat(seen).singleElement().satisfies(conflict -> {
            assertThat(conflict.kind()).isEqualTo(OperationKind.UPDATE);
            assertThat(conflict.base().title()).isEqualTo("Base");
            assertThat(conflict.mine()).isEqualTo(CardPatch.empty().title("Mobile title").notes("mobile notes").tags("b"));
            assertThat(conflict.theirs().version()).isEqualTo(2);
            assertThat(conflict.theirs().fields().title()).isEqualTo("Desktop title");
        });
    }

    @Test
    void userChoosesWhichVersionToKeep() throws Exception {
        // The "modal": the user sees both versions and picks, per card.
        Map<String, Resolution> userPicks = new ConcurrentHashMap<>();
        Scene scene = twoDevicesEditOneCard(conflict -> userPicks.get(conflict.cardId()));
        LocalCard second = scene.desktop().create(note("second").withTitle("Base 2"));
        syncAll(scene.desktop());
        scene.mobile().pull();
        scene.desktop().update(second.id(), CardPatch.empty().title("Desktop 2"));
        syncAll(scene.desktop());
        scene.mobile().update(second.id(), CardPatch.empty().title("Mobile 2"));
        userPicks.put(scene.cardId(), new Resolution.SendMine());
        userPicks.put(second.id(), new Resolution.TakeServer());

        syncAll(scene.mobile());

        assertThat(server().card(scene.cardId()).orElseThrow().get("title").asString()).isEqualTo("Mobile title");
        assertThat(server().card(second.id()).orElseThrow().get("title").asString()).isEqualTo("Desktop 2");
        assertThat(scene.mobile().card(second.id()).orElseThrow().fields().title()).isEqualTo("Desktop 2");
        assertThat(scene.mobile().conflicts()).extracting(ResolvedConflict::cardId, ResolvedConflict::resolution)
                .containsExactlyInAnyOrder(tuple(scene.cardId(), "keep-mine"),
                        tuple(second.id(), "use-server"));
    }

    @Test
    void versionIncrementsCorrectlyAfterEachUpdate() throws Exception {
        PawkitSyncClient client = client("laptop");
        LocalCard card = client.create(note("versions"));
        syncAll(client);
        for (int i = 1; i <= 5; i++) {
            // Each sent before the next is made (never-sent edits would be merged into one).
            client.update(card.id(), CardPatch.empty().title("edit " + i));
            syncAll(client);
        }

        // Each update was sent on the version the previous one produced.
        assertThat(proxy.writes()).filteredOn(e -> e.method().equals("PATCH")).extracting(FaultProxy.Exchange::body)
                .allSatisfy(body -> assertThat(body).contains("\"version\":"))
                .extracting(body -> body.replaceAll(".*\"version\":(\\d+).*", "$1"))
                .containsExactly("1", "2", "3", "4", "5");
        assertThat(server().history(card.id())).extracting(ServerReads.Event::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(server().card(card.id()).orElseThrow().get("version").asLong()).isEqualTo(6);
        assertThat(client.card(card.id()).orElseThrow().serverVersion()).isEqualTo(6);
    }

    @Test
    void noSilentOverwritesOfChanges() throws Exception {
        Scene scene = twoDevicesEditOneCard(new UseServer());
        syncAll(scene.mobile());

        // The server kept the desktop's edit; the mobile's dropped change is journaled and was reported.
        JsonNode card = server().card(scene.cardId()).orElseThrow();
        assertThat(card.get("title").asString()).isEqualTo("Desktop title");
        assertThat(card.get("version").asLong()).isEqualTo(2);
        CardPatch dropped = CardPatch.empty().title("Mobile title").notes("mobile notes").tags("b");
        assertThat(scene.mobile().conflicts()).singleElement().satisfies(entry -> {
            assertThat(entry.resolution()).isEqualTo("use-server");
            assertThat(entry.mine()).isEqualTo(dropped);
        });
        assertThat(reported).extracting(ResolvedConflict::mine).containsExactly(dropped);
        // Every write that names a card carries the version it was made on: none can overwrite blindly.
        assertThat(proxy.writes()).filteredOn(e -> !e.method().equals("POST"))
                .allSatisfy(e -> assertThat(e.body() + e.path()).containsPattern("version[\":=]+\\d"));
        assertThat(server().history(scene.cardId())).hasSize(2);
    }

    @Test
    void twoClientsEditOneCardKeepMine() throws Exception {
        Scene scene = twoDevicesEditOneCard(new KeepMine());
        syncAll(scene.mobile());

        JsonNode card = server().card(scene.cardId()).orElseThrow();
        assertThat(card.get("version").asLong()).isEqualTo(3);
        assertThat(card.get("title").asString()).isEqualTo("Mobile title");
        assertThat(card.get("notes").asString()).isEqualTo("mobile notes");
        assertThat(card.get("tags").values()).extracting(JsonNode::asString).containsExactly("b");
        // The desktop's overwritten values stay readable in the journal.
        assertThat(scene.mobile().conflicts()).singleElement().satisfies(entry -> {
            assertThat(entry.resolution()).isEqualTo("keep-mine");
            assertThat(entry.theirs().fields().title()).isEqualTo("Desktop title");
        });
        scene.desktop().pull();
        assertThat(scene.desktop().card(scene.cardId()).orElseThrow().fields().title()).isEqualTo("Mobile title");
        assertEachEventOnce(scene.cardId(), 3);
    }

    @Test
    void twoClientsEditOneCardUseServer() throws Exception {
        Scene scene = twoDevicesEditOneCard(new UseServer());
        syncAll(scene.mobile());

        LocalCard shown = scene.mobile().card(scene.cardId()).orElseThrow();
        assertThat(shown.fields().title()).isEqualTo("Desktop title");
        assertThat(shown.fields().notes()).isEqualTo("base notes");
        assertThat(shown.fields().tags()).containsExactly("a", "b", "x");
        assertThat(shown.serverVersion()).isEqualTo(2);
        assertThat(shown.syncState()).isEqualTo(LocalCard.SyncState.SYNCED);
        assertThat(server().card(scene.cardId()).orElseThrow().get("version").asLong()).isEqualTo(2);
        assertThat(reported).singleElement().extracting(ResolvedConflict::resolution).isEqualTo("use-server");
        assertEachEventOnce(scene.cardId(), 2);
    }

    @Test
    void twoClientsEditOneCardThreeWayMerge() throws Exception {
        List<FieldConflict> asked = new CopyOnWriteArrayList<>();
        Scene scene = twoDevicesEditOneCard(new ThreeWayMerge(conflict -> {
            asked.add(conflict);
            return TrueConflictCallback.Side.THEIRS;
        }));
        syncAll(scene.mobile());

        // Title: both changed it, the callback kept the desktop's. Notes: only mobile changed them.
        // Tags: desktop added x, mobile removed a: both apply.
        JsonNode card = server().card(scene.cardId()).orElseThrow();
        assertThat(card.get("version").asLong()).isEqualTo(3);
        assertThat(card.get("title").asString()).isEqualTo("Desktop title");
        assertThat(card.get("notes").asString()).isEqualTo("mobile notes");
        assertThat(card.get("tags").values()).extracting(JsonNode::asString).containsExactly("b", "x");
        assertThat(asked).containsExactly(new FieldConflict(scene.cardId(), CardField.TITLE, "Base", "Mobile title",
                "Desktop title"));
        assertThat(scene.mobile().conflicts()).singleElement().satisfies(entry -> {
            assertThat(entry.resolution()).isEqualTo("merge");
            assertThat(entry.sent()).isEqualTo(CardPatch.empty().notes("mobile notes").tags("b", "x"));
        });
        assertEachEventOnce(scene.cardId(), 3);
    }

    @Test
    void aDeletionOfACardEditedElsewhereAsksBeforeDeleting() throws Exception {
        List<String> askedAboutDeletion = new CopyOnWriteArrayList<>();
        Scene scene = desktopEditsACardMobileHolds(new ThreeWayMerge(new TrueConflictCallback() {
            @Override
            public Side chooseField(FieldConflict conflict) {
                return Side.MINE;
            }

            @Override
            public Side chooseDeletion(String cardId, CardFields base, ServerCard theirs) {
                askedAboutDeletion.add(cardId);
                return Side.THEIRS;
            }
        }));
        scene.mobile().delete(scene.cardId());
        syncAll(scene.mobile());

        assertThat(askedAboutDeletion).containsExactly(scene.cardId());
        assertThat(server().card(scene.cardId())).isPresent();
        assertThat(scene.mobile().cards()).extracting(LocalCard::id).contains(scene.cardId());
        assertThat(scene.mobile().card(scene.cardId()).orElseThrow().fields().title()).isEqualTo("Desktop title");
        assertThat(scene.mobile().conflicts()).singleElement().extracting(ResolvedConflict::resolution)
                .isEqualTo("use-server");
    }

    /** The card's history has this many events, each caused by a different request. */
    private void assertEachEventOnce(String cardId, int events) {
        List<ServerReads.Event> history = server().history(cardId);
        assertThat(history).hasSize(events);
        assertThat(new HashSet<>(history.stream().map(ServerReads.Event::idempotencyKey).toList())).hasSize(events);
    }
}
