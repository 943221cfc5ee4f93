package dev.pawkit.sync.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Delta sync: another device's changes arrive through the change feed, page by page from a stored
 * cursor, tombstones included; this device's queued changes stay on top of what was pulled.
 */
class DeltaSyncTest extends StackTest {

    @Test
    void pullBringsAnotherDevicesChangesAndTombstones() throws Exception {
        PawkitSyncClient desktop = client("desktop");
        LocalCard kept = desktop.create(note("kept").withTags("a"));
        LocalCard edited = desktop.create(note("edited"));
        LocalCard deleted = desktop.create(note("deleted"));
        syncAll(desktop);
        PawkitSyncClient mobile = open(config("mobile").pageSize(2));
        assertThat(mobile.pull()).isEqualTo(3);
        assertThat(mobile.cards()).hasSize(3);

        desktop.update(edited.id(), CardPatch.empty().title("new title"));
        desktop.delete(deleted.id());
        syncAll(desktop);
        assertThat(mobile.pull()).isEqualTo(2);

        assertThat(mobile.cards()).extracting(LocalCard::id).containsExactlyInAnyOrder(kept.id(), edited.id());
        LocalCard shown = mobile.card(edited.id()).orElseThrow();
        assertThat(shown.fields().title()).isEqualTo("new title");
        assertThat(shown.serverVersion()).isEqualTo(2);
        assertThat(shown.syncState()).isEqualTo(LocalCard.SyncState.SYNCED);
        assertThat(mobile.card(kept.id()).orElseThrow().fields().tags()).containsExactly("a");
    }

    @Test
    void theCursorIsStoredSoAPullResumesWhereTheLastOneStopped() throws Exception {
        PawkitSyncClient desktop = client("desktop");
        for (int i = 0; i < 5; i++) {
            desktop.create(note("card " + i));
        }
        syncAll(desktop);
        PawkitSyncClient mobile = open(config("mobile").pageSize(2));
        assertThat(mobile.pull()).isEqualTo(5);
        mobile.close();

        PawkitSyncClient reopened = open(config("mobile").pageSize(2));
        assertThat(reopened.pull()).isZero();
        desktop.create(note("one more"));
        syncAll(desktop);
        assertThat(reopened.pull()).isEqualTo(1);
        assertThat(reopened.cards()).hasSize(6);
    }

    @Test
    void pendingLocalChangesStayOnTopOfPulledCards() throws Exception {
        PawkitSyncClient desktop = client("desktop");
        LocalCard card = desktop.create(note("shared").withTitle("Base"));
        syncAll(desktop);
        PawkitSyncClient mobile = client("mobile");
        mobile.pull();

        proxy.down();
        mobile.update(card.id(), CardPatch.empty().title("Mine, not yet sent"));
        proxy.up();
        desktop.update(card.id(), CardPatch.empty().notes("desktop notes"));
        syncAll(desktop);
        mobile.pull();

        // The pulled version 2 is underneath; the queued title is still what the user sees.
        LocalCard shown = mobile.card(card.id()).orElseThrow();
        assertThat(shown.fields().title()).isEqualTo("Mine, not yet sent");
        assertThat(shown.fields().notes()).isEqualTo("desktop notes");
        assertThat(shown.serverVersion()).isEqualTo(2);
        assertThat(shown.syncState()).isEqualTo(LocalCard.SyncState.PENDING);

        // Sent on version 1, it conflicts; the default merge keeps both edits.
        syncAll(mobile);
        var onServer = server().card(card.id()).orElseThrow();
        assertThat(onServer.get("title").asString()).isEqualTo("Mine, not yet sent");
        assertThat(onServer.get("notes").asString()).isEqualTo("desktop notes");
        assertThat(server().history(card.id())).hasSize(3);
        assertThat(mobile.conflicts()).extracting(ResolvedConflict::resolution).isEqualTo(List.of("merge"));
    }
}
