package dev.pawkit.sync.bench.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a history against what the broker committed and what the views serve, with no I/O of its
 * own (so it can be fed broken inputs in unit tests):
 * <ul>
 *   <li>every acknowledged write (200/201) is in the event log exactly once, as the answer named it;</li>
 *   <li>a write never decided for its client (timeout, 202, 5xx) is in the log at most once;</li>
 *   <li>a rejected or refused write is not in the log;</li>
 *   <li>at most one effect per (user, idempotency key), and no effect that no write asked for;</li>
 *   <li>every decided answer to a key repeats the first one (status, card id, version);</li>
 *   <li>per card, versions 1..N without gap or repeat in log order, nothing after the delete;</li>
 *   <li>the views equal the fold of the events: version, deleted and title per card, and the
 *       change feed holds every card of the user.</li>
 * </ul>
 * Only the history's users are checked: a shared broker may hold other tests' cards.
 */
public final class HistoryChecker {

    private record Command(String user, String key) {
    }

    private record CardKey(String user, String cardId) {
    }

    /** A card as its events say it ends up. */
    private record Folded(long version, boolean deleted, String title) {
    }

    private HistoryChecker() {
    }

    /**
     * @param history every attempt, in send order
     * @param log the committed events, in log order per partition (a card's events are all in one)
     * @param views the cards the views served after the run
     */
    public static Verdict check(List<Exchange> history, List<LoggedEvent> log, List<ViewedCard> views) {
        List<String> violations = new ArrayList<>();
        Set<String> users = history.stream().map(e -> e.request().user()).collect(Collectors.toSet());
        List<LoggedEvent> events = log.stream().filter(e -> users.contains(e.user())).toList();

        Map<Command, List<Exchange>> commands = new LinkedHashMap<>();
        for (Exchange exchange : history) {
            if (exchange.request().idempotencyKey() == null) {
                violations.add("attempt " + exchange.request().seq() + " has no idempotency key: it cannot be"
                        + " told from another write (the workload must key every write)");
                continue;
            }
            commands.computeIfAbsent(new Command(exchange.request().user(), exchange.request().idempotencyKey()),
                    c -> new ArrayList<>()).add(exchange);
        }
        Map<Command, List<LoggedEvent>> effects = new LinkedHashMap<>();
        for (LoggedEvent event : events) {
            Command cause = new Command(event.user(), event.idempotencyKey());
            if (event.idempotencyKey() == null || !commands.containsKey(cause)) {
                violations.add("event " + describe(event) + " was caused by no write of the history (key "
                        + event.idempotencyKey() + ")");
                continue;
            }
            effects.computeIfAbsent(cause, c -> new ArrayList<>()).add(event);
        }

        int acknowledged = 0;
        int rejected = 0;
        int unknown = 0;
        int retried = 0;
        int lost = 0;
        int duplicated = 0;
        int serverErrors = (int) history.stream().filter(e -> e.answer().serverError()).count();
        for (Map.Entry<Command, List<Exchange>> command : commands.entrySet()) {
            String name = command.getKey().user() + "/" + command.getKey().key();
            List<Exchange> attempts = command.getValue();
            List<LoggedEvent> applied = effects.getOrDefault(command.getKey(), List.of());
            if (attempts.size() > 1) {
                retried++;
            }
            if (applied.size() > 1) {
                duplicated++;
                violations.add("write " + name + " applied " + applied.size() + " times: "
                        + applied.stream().map(HistoryChecker::describe).toList());
            }
            List<Exchange> decided = attempts.stream().filter(e -> e.answer().decided()).toList();
            if (!decided.isEmpty()) {
                Answer first = decided.get(0).answer();
                for (Exchange later : decided.subList(1, decided.size())) {
                    if (!sameDecision(first, later.answer())) {
                        violations.add("write " + name + " attempt " + later.request().seq() + " answered "
                                + describe(later.answer()) + ", but its first answer was " + describe(first));
                    }
                }
            }
            if (decided.stream().anyMatch(e -> e.answer().applied())) {
                acknowledged++;
                Answer answer = decided.stream().filter(e -> e.answer().applied()).findFirst().orElseThrow().answer();
                if (applied.isEmpty()) {
                    lost++;
                    violations.add("acknowledged write " + name + " (" + describe(answer) + ") is not in the log");
                } else if (!applied.get(0).cardId().equals(answer.cardId())
                        || answer.version() == null || applied.get(0).version() != answer.version()) {
                    violations.add("acknowledged write " + name + " answered " + describe(answer)
                            + " but the log has " + describe(applied.get(0)));
                }
            } else if (!decided.isEmpty() || attempts.stream().allMatch(e -> e.answer().refused())) {
                rejected++;
                if (!applied.isEmpty()) {
                    violations.add("write " + name + " answered " + describe(attempts.get(attempts.size() - 1).answer())
                            + " (no effect) but the log has " + describe(applied.get(0)));
                }
            } else {
                unknown++;
            }
        }

        Map<CardKey, List<LoggedEvent>> cards = new LinkedHashMap<>();
        for (LoggedEvent event : events) {
            cards.computeIfAbsent(new CardKey(event.user(), event.cardId()), c -> new ArrayList<>()).add(event);
        }
        Map<CardKey, Folded> folded = new LinkedHashMap<>();
        for (Map.Entry<CardKey, List<LoggedEvent>> card : cards.entrySet()) {
            List<LoggedEvent> chain = card.getValue();
            List<Long> versions = chain.stream().map(LoggedEvent::version).toList();
            String name = card.getKey().user() + "/" + card.getKey().cardId();
            for (int i = 0; i < chain.size(); i++) {
                if (chain.get(i).version() != i + 1) {
                    violations.add("card " + name + " has versions " + versions + " in log order, not 1.." + chain.size());
                    break;
                }
            }
            for (int i = 0; i < chain.size() - 1; i++) {
                if (chain.get(i).kind() == LoggedEvent.Kind.DELETED) {
                    violations.add("card " + name + " has events after its delete: " + versions);
                    break;
                }
            }
            folded.put(card.getKey(), fold(chain));
        }

        int compared = compareViews(views, folded, users, violations);
        int unanswered = (int) history.stream().filter(e -> e.answer().status() == 0).count();
        return new Verdict(commands.size(), history.size(), unanswered, acknowledged, rejected, unknown, retried,
                events.size(), cards.size(), compared, lost, duplicated, serverErrors, violations);
    }

    /** The card after its events, in order: the last version, deleted once deleted, the last title set. */
    private static Folded fold(List<LoggedEvent> chain) {
        long version = 0;
        boolean deleted = false;
        String title = null;
        for (LoggedEvent event : chain) {
            version = event.version();
            deleted |= event.kind() == LoggedEvent.Kind.DELETED;
            if (event.titleSet()) {
                title = event.title();
            }
        }
        return new Folded(version, deleted, title);
    }

    private static int compareViews(List<ViewedCard> views, Map<CardKey, Folded> folded, Set<String> users,
            List<String> violations) {
        int compared = 0;
        // The change feed's last item per card is where the card stands (a card appears once per change read).
        Map<CardKey, ViewedCard> feed = new LinkedHashMap<>();
        for (ViewedCard view : views) {
            CardKey card = new CardKey(view.user(), view.cardId());
            if (view.source() == ViewedCard.Source.CHANGES) {
                feed.put(card, view);
                continue;
            }
            compared++;
            Folded expected = folded.get(card);
            boolean live = expected != null && !expected.deleted();
            if (view.found() != live) {
                violations.add("GET /api/cards/" + view.cardId() + " of " + view.user() + " answered "
                        + (view.found() ? "the card" : "404") + " but its events say "
                        + (expected == null ? "no such card" : expected.deleted() ? "deleted" : "live"));
            } else if (live && (view.version() != expected.version() || !Objects.equals(view.title(), expected.title()))) {
                violations.add("GET /api/cards/" + view.cardId() + " of " + view.user() + " shows version "
                        + view.version() + " title " + view.title() + " but its events fold to version "
                        + expected.version() + " title " + expected.title());
            }
        }
        boolean feedRead = views.stream().anyMatch(v -> v.source() == ViewedCard.Source.CHANGES);
        if (!feedRead) {
            return compared;
        }
        for (Map.Entry<CardKey, ViewedCard> item : feed.entrySet()) {
            compared++;
            Folded expected = folded.get(item.getKey());
            ViewedCard view = item.getValue();
            if (expected == null) {
                violations.add("the change feed of " + view.user() + " has card " + view.cardId() + " with no events");
            } else if (view.version() != expected.version() || view.deleted() != expected.deleted()
                    || !Objects.equals(view.title(), expected.title())) {
                violations.add("the change feed of " + view.user() + " shows card " + view.cardId() + " at version "
                        + view.version() + (view.deleted() ? " deleted" : "") + " title " + view.title()
                        + " but its events fold to version " + expected.version()
                        + (expected.deleted() ? " deleted" : "") + " title " + expected.title());
            }
        }
        for (CardKey card : folded.keySet()) {
            if (users.contains(card.user()) && !feed.containsKey(card)) {
                violations.add("the change feed of " + card.user() + " misses card " + card.cardId());
            }
        }
        return compared;
    }

    private static boolean sameDecision(Answer first, Answer later) {
        return first.status() == later.status() && Objects.equals(first.cardId(), later.cardId())
                && Objects.equals(first.version(), later.version());
    }

    private static String describe(Answer answer) {
        return answer.status() + " (card " + answer.cardId() + " version " + answer.version() + ")";
    }

    private static String describe(LoggedEvent event) {
        return event.kind() + " " + event.cardId() + " v" + event.version() + " (command " + event.commandId() + ")";
    }
}
