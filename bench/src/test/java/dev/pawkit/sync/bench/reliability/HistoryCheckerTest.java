package dev.pawkit.sync.bench.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checker on synthetic histories: a clean one passes, and each kind of broken build (a lost
 * acknowledged write, a duplicated event, a changed replay, a stale view...) fails it, named.
 */
class HistoryCheckerTest {

    private static final String USER = "alice";
    private static final String CARD = "11111111-1111-1111-1111-111111111111";
    private static final String OTHER = "22222222-2222-2222-2222-222222222222";

    private final List<Exchange> history = new ArrayList<>();
    private final List<LoggedEvent> log = new ArrayList<>();
    private final List<ViewedCard> views = new ArrayList<>();
    private long seq;

    /**
     * A clean run: a create retried after a timeout (replayed), an update, a conflicting update
     * (rejected, no effect), a write never answered and never applied, a create of another card
     * then deleted; the log and the views agree.
     */
    private void cleanRun() {
        send("k-create", Request.Kind.CREATE, CARD, null, "one", Answer.unknown("HttpTimeoutException"));
        send("k-create", Request.Kind.CREATE, CARD, null, "one", new Answer(201, CARD, 1L, true, null));
        send("k-update", Request.Kind.UPDATE, CARD, 1L, "two", new Answer(200, CARD, 2L, false, null));
        send("k-stale", Request.Kind.UPDATE, CARD, 1L, "three", new Answer(412, CARD, 2L, false, "precondition-failed"));
        send("k-stale", Request.Kind.UPDATE, CARD, 1L, "three", new Answer(412, CARD, 2L, true, "precondition-failed"));
        send("k-lost-in-flight", Request.Kind.UPDATE, CARD, 2L, "four", Answer.unknown("ConnectException"));
        send("k-other", Request.Kind.CREATE, OTHER, null, "other", new Answer(201, OTHER, 1L, false, null));
        send("k-delete", Request.Kind.DELETE, OTHER, 1L, null, new Answer(200, OTHER, 2L, false, null));
        event(CARD, 1, LoggedEvent.Kind.CREATED, "k-create", "one");
        event(OTHER, 1, LoggedEvent.Kind.CREATED, "k-other", "other");
        event(CARD, 2, LoggedEvent.Kind.UPDATED, "k-update", "two");
        event(OTHER, 2, LoggedEvent.Kind.DELETED, "k-delete", null);
        views.add(new ViewedCard(ViewedCard.Source.CARD, USER, CARD, true, 2, false, "two"));
        views.add(ViewedCard.notFound(USER, OTHER));
        views.add(new ViewedCard(ViewedCard.Source.CHANGES, USER, OTHER, true, 2, true, "other"));
        views.add(new ViewedCard(ViewedCard.Source.CHANGES, USER, CARD, true, 2, false, "two"));
    }

    @Test
    void aCleanHistoryPassesWithItsCounts() {
        cleanRun();

        Verdict verdict = check();

        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.commands()).isEqualTo(6);
        assertThat(verdict.attempts()).isEqualTo(8);
        assertThat(verdict.unanswered()).isEqualTo(2);
        assertThat(verdict.acknowledged()).isEqualTo(4);
        assertThat(verdict.rejected()).isEqualTo(1);
        assertThat(verdict.unknown()).isEqualTo(1);
        assertThat(verdict.retried()).isEqualTo(2);
        assertThat(verdict.events()).isEqualTo(4);
        assertThat(verdict.cards()).isEqualTo(2);
        assertThat(verdict.views()).isEqualTo(4);
        assertThat(verdict.line(1))
                .isEqualTo("reliability: scenarios=1 acknowledged=4 lost=0 duplicated=0 server_errors=0");
    }

    @Test
    void aDuplicatedEventFailsIt() {
        cleanRun();
        event(CARD, 2, LoggedEvent.Kind.UPDATED, "k-update", "two");

        Verdict verdict = check();

        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.duplicated()).isEqualTo(1);
        assertThat(verdict.violations()).anyMatch(v -> v.contains("write alice/k-update applied 2 times"))
                .anyMatch(v -> v.contains("has versions [1, 2, 2] in log order"));
        assertThat(verdict.line(1)).endsWith("lost=0 duplicated=1 server_errors=0");
    }

    @Test
    void aLostAcknowledgedWriteFailsIt() {
        cleanRun();
        log.removeIf(e -> e.idempotencyKey().equals("k-update"));

        Verdict verdict = check();

        assertThat(verdict.lost()).isEqualTo(1);
        assertThat(verdict.violations()).anyMatch(v -> v.contains("acknowledged write alice/k-update"));
    }

    @Test
    void anUnansweredWriteAppliedTwiceFailsIt() {
        cleanRun();
        event(CARD, 3, LoggedEvent.Kind.UPDATED, "k-lost-in-flight", "four");
        event(CARD, 4, LoggedEvent.Kind.UPDATED, "k-lost-in-flight", "four");

        Verdict verdict = check();

        assertThat(verdict.duplicated()).isEqualTo(1);
        assertThat(verdict.violations()).anyMatch(v -> v.contains("k-lost-in-flight applied 2 times"));
    }

    @Test
    void anUnansweredWriteAppliedOnceIsAllowed() {
        cleanRun();
        event(CARD, 3, LoggedEvent.Kind.UPDATED, "k-lost-in-flight", "four");
        views.replaceAll(v -> v.cardId().equals(CARD) ? new ViewedCard(v.source(), USER, CARD, true, 3, false, "four")
                : v);

        Verdict verdict = check();

        assertThat(verdict.violations()).isEmpty();
        assertThat(verdict.unknown()).isEqualTo(1);
    }

    @Test
    void aRejectedWriteThatTookEffectFailsIt() {
        cleanRun();
        event(CARD, 3, LoggedEvent.Kind.UPDATED, "k-stale", "three");

        assertThat(check().violations()).anyMatch(v -> v.contains("write alice/k-stale answered 412"));
    }

    @Test
    void aRetryAnsweredOtherwiseThanTheFirstTimeFailsIt() {
        cleanRun();
        send("k-update", Request.Kind.UPDATE, CARD, 1L, "two", new Answer(412, CARD, 2L, false, "precondition-failed"));

        assertThat(check().violations()).anyMatch(v -> v.contains("answered 412 (card " + CARD
                + " version 2), but its first answer was 200"));
    }

    @Test
    void anAcknowledgedVersionTheLogDoesNotHaveFailsIt() {
        cleanRun();
        history.replaceAll(e -> e.request().idempotencyKey().equals("k-update")
                ? new Exchange(e.request(), new Answer(200, CARD, 7L, false, null)) : e);

        assertThat(check().violations()).anyMatch(v -> v.contains("acknowledged write alice/k-update answered 200"
                + " (card " + CARD + " version 7) but the log has UPDATED"));
    }

    @Test
    void aVersionGapFailsIt() {
        cleanRun();
        log.replaceAll(e -> e.idempotencyKey().equals("k-update")
                ? new LoggedEvent(USER, CARD, 3, e.kind(), e.idempotencyKey(), e.commandId(), true, "two") : e);

        assertThat(check().violations()).anyMatch(v -> v.contains("has versions [1, 3] in log order, not 1..2"));
    }

    @Test
    void anEventAfterTheDeleteFailsIt() {
        cleanRun();
        send("k-revive", Request.Kind.UPDATE, OTHER, 2L, "back", new Answer(200, OTHER, 3L, false, null));
        event(OTHER, 3, LoggedEvent.Kind.UPDATED, "k-revive", "back");

        assertThat(check().violations()).anyMatch(v -> v.contains("card alice/" + OTHER
                + " has events after its delete: [1, 2, 3]"));
    }

    @Test
    void anEffectNobodyAskedForFailsIt() {
        cleanRun();
        event(CARD, 3, LoggedEvent.Kind.UPDATED, "k-never-sent", "x");

        assertThat(check().violations()).anyMatch(v -> v.contains("was caused by no write of the history"));
    }

    @Test
    void aViewBehindItsEventsFailsIt() {
        cleanRun();
        views.replaceAll(v -> v.source() == ViewedCard.Source.CARD && v.cardId().equals(CARD)
                ? new ViewedCard(ViewedCard.Source.CARD, USER, CARD, true, 1, false, "one") : v);

        assertThat(check().violations()).anyMatch(v -> v.contains("shows version 1 title one but its events fold to"
                + " version 2 title two"));
    }

    @Test
    void aDeletedCardStillServedFailsIt() {
        cleanRun();
        views.replaceAll(v -> v.source() == ViewedCard.Source.CARD && v.cardId().equals(OTHER)
                ? new ViewedCard(ViewedCard.Source.CARD, USER, OTHER, true, 1, false, "other") : v);

        assertThat(check().violations()).anyMatch(v -> v.contains("answered the card but its events say deleted"));
    }

    @Test
    void aChangeFeedMissingACardFailsIt() {
        cleanRun();
        views.removeIf(v -> v.source() == ViewedCard.Source.CHANGES && v.cardId().equals(OTHER));

        assertThat(check().violations()).anyMatch(v -> v.contains("the change feed of alice misses card " + OTHER));
    }

    @Test
    void serverErrorsAreCountedAndTheirWritesAreUnknown() {
        cleanRun();
        send("k-500", Request.Kind.UPDATE, CARD, 2L, "five", new Answer(500, null, null, false, "internal"));

        Verdict verdict = check();

        assertThat(verdict.passed()).isTrue();
        assertThat(verdict.serverErrors()).isEqualTo(1);
        assertThat(verdict.unknown()).isEqualTo(2);
    }

    @Test
    void aRequestInProgressIsNoDecisionButAnyOther409Is() {
        cleanRun();
        // A duplicate that arrived while its first was being decided, then its replay: one decision.
        send("k-busy", Request.Kind.UPDATE, CARD, 2L, "six",
                new Answer(409, null, null, false, "https://pawkit.dev/problems/request-in-progress"));
        send("k-busy", Request.Kind.UPDATE, CARD, 2L, "six", new Answer(200, CARD, 3L, true, null));
        event(CARD, 3, LoggedEvent.Kind.UPDATED, "k-busy", "six");
        views.set(0, new ViewedCard(ViewedCard.Source.CARD, USER, CARD, true, 3, false, "six"));
        views.set(3, new ViewedCard(ViewedCard.Source.CHANGES, USER, CARD, true, 3, false, "six"));

        assertThat(check().violations()).isEmpty();

        // The same first answer as a version conflict is a decision, and the 200 after it contradicts it.
        history.set(history.size() - 2, new Exchange(history.get(history.size() - 2).request(),
                new Answer(409, CARD, 2L, false, "https://pawkit.dev/problems/version-conflict")));
        assertThat(check().violations()).anyMatch(v -> v.contains("write alice/k-busy attempt"));
    }

    private Verdict check() {
        return HistoryChecker.check(history, log, views);
    }

    private void send(String key, Request.Kind kind, String cardId, Long expected, String title, Answer answer) {
        history.add(new Exchange(new Request(++seq, "client-1", USER, kind, key, cardId, expected, title, null), answer));
    }

    private void event(String cardId, long version, LoggedEvent.Kind kind, String key, String title) {
        log.add(new LoggedEvent(USER, cardId, version, kind, key, "command-" + key, kind != LoggedEvent.Kind.DELETED,
                title));
    }
}
