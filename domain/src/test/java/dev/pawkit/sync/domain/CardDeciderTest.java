package dev.pawkit.sync.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand.CreateCard;
import dev.pawkit.sync.domain.CardCommand.DeleteCard;
import dev.pawkit.sync.domain.CardCommand.UpdateCard;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardDeleted;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.Decision.Accepted;
import dev.pawkit.sync.domain.Decision.Rejected;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The card rules, one per test: given the card's past events, when a command is decided, then these
 * events or this rejection. State is only ever built by folding events, as the projector does.
 */
class CardDeciderTest {

    private static final String OWNER = "user-ada";
    private static final String CARD = "card-1";
    private static final Instant CREATED_AT = Instant.parse("2025-03-01T09:00:00Z");
    private static final Instant UPDATED_AT = Instant.parse("2025-03-02T09:00:00Z");
    private static final Instant DELETED_AT = Instant.parse("2025-03-03T09:00:00Z");
    /** The decision time: the command record's timestamp in production. */
    private static final Instant NOW = Instant.parse("2025-03-04T12:30:00.123Z");

    // ---- create ----

    @Test
    void createOnEmptyEmitsCardCreatedAtVersionOneAtThePassedTime() {
        given()
                .when(create(note()))
                .thenEvents(new CardCreated(CARD, OWNER, 1, NOW, note()));
    }

    @Test
    void createWhereTheCardExistsIsRejectedWithTheCurrentCard() {
        Card current = stateAfter(created(note()), updated(2, titleTo("Groceries for Sunday")));

        given(created(note()), updated(2, titleTo("Groceries for Sunday")))
                .when(create(bookmark()))
                .thenRejected(new Rejection.CardExists(current));
    }

    @Test
    void createOverADeletedCardIsRejectedAsExisting() {
        // A deleted card never comes back: its id stays taken by the tombstone.
        Card tombstone = stateAfter(created(note()), deleted(2));

        given(created(note()), deleted(2))
                .when(create(note()))
                .thenRejected(new Rejection.CardExists(tombstone));
    }

    @Test
    void createOfAUrlCardWithoutUrlIsInvalid() {
        given()
                .when(create(bookmarkWithUrl(null)))
                .thenRejected(new Rejection.InvalidCard("a url card needs a url"));
    }

    @Test
    void createOfAUrlCardWithABlankUrlIsInvalid() {
        given()
                .when(create(bookmarkWithUrl("   ")))
                .thenRejected(new Rejection.InvalidCard("a url card needs a url"));
    }

    // ---- update ----

    @Test
    void updateWithoutVersionAppliesToTheCurrentCardAndCarriesOnlyChangedFields() {
        // Asks for a new title and the tags the card already has: only the title is a change.
        CardPatch asked = new CardPatch(Edit.keep(), Edit.to("Weekly shop"), Edit.keep(), Edit.keep(),
                Edit.to(List.of("home")), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep());

        given(created(note()), updated(2, pinnedTo(true)), updated(3, notesTo("before noon")))
                .when(update(asked, ExpectedVersion.any()))
                .thenEvents(new CardUpdated(CARD, OWNER, 4, NOW, titleTo("Weekly shop")));
    }

    @Test
    void updateWithTheMatchingBodyVersionApplies() {
        given(created(note()), updated(2, pinnedTo(true)))
                .when(update(titleTo("Weekly shop"), new ExpectedVersion.InBody(2)))
                .thenEvents(new CardUpdated(CARD, OWNER, 3, NOW, titleTo("Weekly shop")));
    }

    @Test
    void updateWithAnOlderBodyVersionConflictsWithTheCurrentCard() {
        Card current = stateAfter(created(note()), updated(2, pinnedTo(true)));

        given(created(note()), updated(2, pinnedTo(true)))
                .when(update(titleTo("Weekly shop"), new ExpectedVersion.InBody(1)))
                .thenRejected(new Rejection.VersionConflict(current));
    }

    @Test
    void updateWithANewerBodyVersionConflictsWithTheCurrentCard() {
        Card current = stateAfter(created(note()), updated(2, pinnedTo(true)));

        given(created(note()), updated(2, pinnedTo(true)))
                .when(update(titleTo("Weekly shop"), new ExpectedVersion.InBody(3)))
                .thenRejected(new Rejection.VersionConflict(current));
    }

    @Test
    void updateWithAMatchingIfMatchApplies() {
        given(created(note()))
                .when(update(titleTo("Weekly shop"), new ExpectedVersion.IfMatch(1)))
                .thenEvents(new CardUpdated(CARD, OWNER, 2, NOW, titleTo("Weekly shop")));
    }

    @Test
    void updateWithAMismatchedIfMatchFailsItsPrecondition() {
        Card current = stateAfter(created(note()), updated(2, pinnedTo(true)));

        given(created(note()), updated(2, pinnedTo(true)))
                .when(update(titleTo("Weekly shop"), new ExpectedVersion.IfMatch(1)))
                .thenRejected(new Rejection.PreconditionFailed(current));
    }

    @Test
    void updateOfAnUnknownCardIsNotFound() {
        given()
                .when(update(titleTo("Weekly shop"), ExpectedVersion.any()))
                .thenRejected(new Rejection.NotFound(CARD));
    }

    /** Whatever version the writer expected, matching the tombstone's or not. */
    static Stream<ExpectedVersion> anyExpectation() {
        return Stream.of(ExpectedVersion.any(), new ExpectedVersion.InBody(2), new ExpectedVersion.InBody(1),
                new ExpectedVersion.IfMatch(2), new ExpectedVersion.IfMatch(5));
    }

    @ParameterizedTest
    @MethodSource("anyExpectation")
    void updateOfADeletedCardIsGoneWhateverVersionWasExpected(ExpectedVersion expected) {
        Card tombstone = stateAfter(created(note()), deleted(2));

        given(created(note()), deleted(2))
                .when(update(titleTo("Weekly shop"), expected))
                .thenRejected(new Rejection.Gone(tombstone));
    }

    @Test
    void updateThatChangesNothingIsAcceptedWithNoEventsAndTheSameVersion() {
        Card current = stateAfter(created(note()), updated(2, pinnedTo(true)));

        Decision decision = given(created(note()), updated(2, pinnedTo(true)))
                .when(update(titleTo("Groceries"), new ExpectedVersion.InBody(2)))
                .thenEvents();

        assertThat(CardDecider.evolveAll(current, ((Accepted) decision).events())).isEqualTo(current);
    }

    @Test
    void updateWithAnEmptyPatchIsAcceptedWithNoEvents() {
        given(created(note()))
                .when(update(CardPatch.empty(), ExpectedVersion.any()))
                .thenEvents();
    }

    @Test
    void updateThatChangesNothingStillConflictsOnAStaleVersion() {
        // The version is checked before the patch is compared: a stale writer learns it is stale.
        Card current = stateAfter(created(note()), updated(2, pinnedTo(true)));

        given(created(note()), updated(2, pinnedTo(true)))
                .when(update(titleTo("Groceries"), new ExpectedVersion.InBody(1)))
                .thenRejected(new Rejection.VersionConflict(current));
    }

    @Test
    void updateClearingTheUrlOfAUrlCardIsInvalid() {
        given(created(bookmark()))
                .when(update(urlTo(null), ExpectedVersion.any()))
                .thenRejected(new Rejection.InvalidCard("a url card needs a url"));
    }

    @Test
    void updateBlankingTheUrlOfAUrlCardIsInvalid() {
        given(created(bookmark()))
                .when(update(urlTo(" "), ExpectedVersion.any()))
                .thenRejected(new Rejection.InvalidCard("a url card needs a url"));
    }

    @Test
    void updateClearingTheUrlOfANoteIsAllowed() {
        CardFields noteWithUrl = new CardFields(CardType.MD_NOTE, "https://example.com/src", "Draft", null,
                "# draft", List.of(), List.of(), false, Metadata.EMPTY);

        given(created(noteWithUrl))
                .when(update(urlTo(null), ExpectedVersion.any()))
                .thenEvents(new CardUpdated(CARD, OWNER, 2, NOW, urlTo(null)));
    }

    // ---- card rules, whoever sent the command ----

    /**
     * One rule at a time: a patch that keeps it at its very edge (a text at its limit), one just
     * outside it (one character more), and the reason the decider gives. Creates take the patch
     * onto a valid note, updates onto the note created first.
     */
    static Stream<Arguments> rules() {
        String site = "https://example.com/";
        return Stream.of(
                Arguments.of("url length", urlTo(site + "p".repeat(2048 - site.length())),
                        urlTo(site + "p".repeat(2049 - site.length())), "url is limited to 2048 characters"),
                Arguments.of("url scheme", urlTo("https://example.com/file"), urlTo("ftp://example.com/file"),
                        "url must be an absolute http(s) URL"),
                Arguments.of("url without host", urlTo("http://example.com"), urlTo("http:/path"),
                        "url must be an absolute http(s) URL"),
                Arguments.of("title", titleTo("t".repeat(1000)), titleTo("t".repeat(1001)),
                        "title is limited to 1000 characters"),
                Arguments.of("notes", notesTo("n".repeat(100_000)), notesTo("n".repeat(100_001)),
                        "notes is limited to 100000 characters"),
                Arguments.of("content", contentTo("c".repeat(500_000)), contentTo("c".repeat(500_001)),
                        "content is limited to 500000 characters"),
                Arguments.of("tag count", tagsTo(labels("t", 100)), tagsTo(labels("t", 101)),
                        "tags is limited to 100 entries"),
                Arguments.of("tag length", tagsTo(List.of("t".repeat(100))), tagsTo(List.of("t".repeat(101))),
                        "each of tags must have 1 to 100 characters"),
                Arguments.of("blank tag", tagsTo(List.of("t")), tagsTo(List.of("  ")),
                        "each of tags must have 1 to 100 characters"),
                Arguments.of("untrimmed tag", tagsTo(List.of("t")), tagsTo(List.of(" t")),
                        "each of tags must be trimmed of surrounding whitespace"),
                Arguments.of("repeated tag", tagsTo(List.of("a", "b")), tagsTo(List.of("a", "b", "a")),
                        "tags must not repeat an entry: 'a'"),
                Arguments.of("collection count", collectionsTo(labels("c", 100)), collectionsTo(labels("c", 101)),
                        "collections is limited to 100 entries"),
                Arguments.of("collection length", collectionsTo(List.of("c".repeat(200))),
                        collectionsTo(List.of("c".repeat(201))), "each of collections must have 1 to 200 characters"),
                Arguments.of("metadata.description", descriptionTo("d".repeat(2000)), descriptionTo("d".repeat(2001)),
                        "metadata.description is limited to 2000 characters"),
                Arguments.of("metadata.image length", imageTo(site + "i".repeat(2048 - site.length())),
                        imageTo(site + "i".repeat(2049 - site.length())),
                        "metadata.image is limited to 2048 characters"),
                Arguments.of("metadata.image scheme", imageTo(site + "a.png"), imageTo("/a.png"),
                        "metadata.image must be an absolute http(s) URL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void createJustWithinARuleIsAccepted(String rule, CardPatch within, CardPatch outside, String reason) {
        given()
                .when(create(note().with(within)))
                .thenEvents(new CardCreated(CARD, OWNER, 1, NOW, note().with(within)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void createJustOutsideARuleIsInvalidAndEmitsNothing(String rule, CardPatch within, CardPatch outside,
            String reason) {
        given()
                .when(create(note().with(outside)))
                .thenRejected(new Rejection.InvalidCard(reason));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void updateJustWithinARuleIsAccepted(String rule, CardPatch within, CardPatch outside, String reason) {
        given(created(note()))
                .when(update(within, ExpectedVersion.any()))
                .thenEvents(new CardUpdated(CARD, OWNER, 2, NOW, within));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void updateJustOutsideARuleIsInvalidAndEmitsNothing(String rule, CardPatch within, CardPatch outside,
            String reason) {
        given(created(note()))
                .when(update(outside, ExpectedVersion.any()))
                .thenRejected(new Rejection.InvalidCard(reason));
    }

    @Test
    void createWithPageMetadataOutsideItsLimitIsInvalid() {
        // A producer other than the enricher could put page metadata on a create; it keeps the rules too.
        CardFields withPageTitle = new CardFields(CardType.TEXT_NOTE, null, "Groceries", null, "milk", List.of(),
                List.of(), false, new Metadata(null, null, "p".repeat(1001), null, null, null));

        given()
                .when(create(withPageTitle))
                .thenRejected(new Rejection.InvalidCard("metadata.title is limited to 1000 characters"));
    }

    // ---- delete ----

    @Test
    void deleteEmitsCardDeletedAtTheNextVersion() {
        given(created(note()), updated(2, pinnedTo(true)))
                .when(delete(ExpectedVersion.any()))
                .thenEvents(new CardDeleted(CARD, OWNER, 3, NOW));
    }

    @Test
    void deleteWithAStaleBodyVersionConflicts() {
        Card current = stateAfter(created(note()), updated(2, pinnedTo(true)));

        given(created(note()), updated(2, pinnedTo(true)))
                .when(delete(new ExpectedVersion.InBody(1)))
                .thenRejected(new Rejection.VersionConflict(current));
    }

    @Test
    void deleteWithAMismatchedIfMatchFailsItsPrecondition() {
        Card current = stateAfter(created(note()));

        given(created(note()))
                .when(delete(new ExpectedVersion.IfMatch(2)))
                .thenRejected(new Rejection.PreconditionFailed(current));
    }

    @Test
    void deleteOfADeletedCardIsGone() {
        Card tombstone = stateAfter(created(note()), deleted(2));

        given(created(note()), deleted(2))
                .when(delete(ExpectedVersion.any()))
                .thenRejected(new Rejection.Gone(tombstone));
    }

    @Test
    void deleteOfAnUnknownCardIsNotFound() {
        given()
                .when(delete(ExpectedVersion.any()))
                .thenRejected(new Rejection.NotFound(CARD));
    }

    // ---- evolve ----

    @Test
    void evolveOfCreatedGivesVersionOneCreatedAndUpdatedAtTheEventTime() {
        assertThat(CardDecider.evolve(null, created(note())))
                .isEqualTo(new Card(CARD, OWNER, note(), 1, CREATED_AT, CREATED_AT, false));
    }

    @Test
    void evolveOfUpdatedMergesTheChangesAndMovesOnlyUpdatedAt() {
        CardPatch changes = new CardPatch(Edit.keep(), Edit.to("Weekly shop"), Edit.to(null), Edit.keep(),
                Edit.to(List.of("home", "food")), Edit.keep(), Edit.to(true), Edit.to("what to buy"), Edit.keep());
        Card before = stateAfter(created(noteWithNotes("before noon")));

        Card after = CardDecider.evolve(before, updated(2, changes));

        CardFields merged = new CardFields(CardType.TEXT_NOTE, null, "Weekly shop", null, "milk",
                List.of("home", "food"), List.of("errands"), true, new Metadata("what to buy", null));
        assertThat(after).isEqualTo(new Card(CARD, OWNER, merged, 2, CREATED_AT, UPDATED_AT, false));
    }

    @Test
    void evolveOfDeletedKeepsTheFieldsAndMarksTheCardDeleted() {
        Card before = stateAfter(created(note()));

        assertThat(CardDecider.evolve(before, deleted(2)))
                .isEqualTo(new Card(CARD, OWNER, note(), 2, CREATED_AT, DELETED_AT, true));
    }

    @Test
    void evolveAllFoldsEventsInOrder() {
        Card card = stateAfter(created(note()), updated(2, titleTo("Weekly shop")), updated(3, titleTo("Monthly shop")),
                deleted(4));

        CardFields expected = new CardFields(CardType.TEXT_NOTE, null, "Monthly shop", null, "milk",
                List.of("home"), List.of("errands"), false, Metadata.EMPTY);
        assertThat(card).isEqualTo(new Card(CARD, OWNER, expected, 4, CREATED_AT, DELETED_AT, true));
    }

    @Test
    void evolveAllOfNoEventsIsTheStateItWasGiven() {
        assertThat(CardDecider.evolveAll(null, List.of())).isNull();
    }

    // ---- time ----

    @Test
    void decideStampsEventsWithThePassedTimeNotTheClock() {
        // Two decisions of the same command at two given times, one long past and one far ahead:
        // each event carries exactly its own time, so nothing but the argument can have set it.
        Instant past = Instant.parse("1999-12-31T23:59:59Z");
        Instant future = Instant.parse("2099-06-01T00:00:00Z");
        Card current = stateAfter(created(note()));
        UpdateCard command = update(titleTo("Weekly shop"), ExpectedVersion.any());

        assertThat(CardDecider.decide(current, command, OWNER, past))
                .isEqualTo(new Accepted(List.of(new CardUpdated(CARD, OWNER, 2, past, titleTo("Weekly shop")))));
        assertThat(CardDecider.decide(current, command, OWNER, future))
                .isEqualTo(new Accepted(List.of(new CardUpdated(CARD, OWNER, 2, future, titleTo("Weekly shop")))));
    }

    @Test
    void decideIsRepeatable() {
        Card current = stateAfter(created(note()));
        DeleteCard command = delete(new ExpectedVersion.InBody(1));

        assertThat(CardDecider.decide(current, command, OWNER, NOW))
                .isEqualTo(CardDecider.decide(current, command, OWNER, NOW));
    }

    // ---- given / when / then ----

    private static Given given(CardEvent... history) {
        return new Given(stateAfter(history));
    }

    private static Card stateAfter(CardEvent... history) {
        return CardDecider.evolveAll(null, List.of(history));
    }

    private record Given(Card state) {
        Then when(CardCommand command) {
            return new Then(CardDecider.decide(state, command, OWNER, NOW));
        }
    }

    private record Then(Decision decision) {
        Decision thenEvents(CardEvent... expected) {
            assertThat(decision).isEqualTo(new Accepted(List.of(expected)));
            return decision;
        }

        void thenRejected(Rejection expected) {
            assertThat(decision).isEqualTo(new Rejected(expected));
        }
    }

    // ---- commands and events ----

    private static CreateCard create(CardFields fields) {
        return new CreateCard(CARD, fields);
    }

    private static UpdateCard update(CardPatch patch, ExpectedVersion expected) {
        return new UpdateCard(CARD, patch, expected);
    }

    private static DeleteCard delete(ExpectedVersion expected) {
        return new DeleteCard(CARD, expected);
    }

    private static CardCreated created(CardFields fields) {
        return new CardCreated(CARD, OWNER, 1, CREATED_AT, fields);
    }

    private static CardUpdated updated(long version, CardPatch changes) {
        return new CardUpdated(CARD, OWNER, version, UPDATED_AT, changes);
    }

    private static CardDeleted deleted(long version) {
        return new CardDeleted(CARD, OWNER, version, DELETED_AT);
    }

    // ---- fields and patches ----

    private static CardFields note() {
        return noteWithNotes(null);
    }

    private static CardFields noteWithNotes(String notes) {
        return new CardFields(CardType.TEXT_NOTE, null, "Groceries", notes, "milk", List.of("home"),
                List.of("errands"), false, Metadata.EMPTY);
    }

    private static CardFields bookmark() {
        return bookmarkWithUrl("https://example.com/cats");
    }

    private static CardFields bookmarkWithUrl(String url) {
        return new CardFields(CardType.URL, url, "Cats", null, null, List.of(), List.of(), false, Metadata.EMPTY);
    }

    private static CardPatch titleTo(String title) {
        return new CardPatch(Edit.keep(), Edit.to(title), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }

    private static CardPatch urlTo(String url) {
        return new CardPatch(Edit.to(url), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }

    private static CardPatch notesTo(String notes) {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.to(notes), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }

    private static CardPatch contentTo(String content) {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.to(content), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }

    private static CardPatch tagsTo(List<String> tags) {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.to(tags), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }

    private static CardPatch collectionsTo(List<String> collections) {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.to(collections),
                Edit.keep(), Edit.keep(), Edit.keep());
    }

    private static CardPatch descriptionTo(String description) {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.to(description), Edit.keep());
    }

    private static CardPatch imageTo(String image) {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.to(image));
    }

    /** {@code count} distinct labels: prefix0, prefix1, ... */
    private static List<String> labels(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    private static CardPatch pinnedTo(boolean pinned) {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.to(pinned), Edit.keep(), Edit.keep());
    }
}
