package dev.pawkit.sync.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The optimistic view: a card as the server last had it, with the queued operations of that card
 * applied on top, in order. Pure. Failed operations still show: the change is the user's until
 * they discard it.
 */
final class LocalView {

    private LocalView() {
    }

    /** The card as the user should see it; empty when it does not exist (or is deleted). */
    static Optional<LocalCard> of(String cardId, ServerCard server, List<Operation> ops) {
        CardFields fields = server == null ? null : server.fields();
        boolean deleted = server != null && server.deleted();
        boolean failed = false;
        for (Operation op : ops) {
            failed |= op.status() == OperationStatus.FAILED;
            switch (op.kind()) {
                case CREATE -> {
                    if (server == null) {
                        fields = op.fields();
                    }
                }
                case UPDATE -> {
                    if (fields != null) {
                        fields = op.patch().applyTo(fields);
                    }
                }
                case DELETE -> deleted = true;
                case REFRESH_METADATA -> {
                    // Nothing to show until the server has fetched the page.
                }
            }
        }
        if (fields == null || deleted) {
            return Optional.empty();
        }
        LocalCard.SyncState state = failed ? LocalCard.SyncState.FAILED
                : ops.isEmpty() ? LocalCard.SyncState.SYNCED : LocalCard.SyncState.PENDING;
        return Optional.of(new LocalCard(cardId, fields, server == null ? 0 : server.version(),
                server == null ? null : server.metadataState(), state));
    }

    /** Every live card, by id. */
    static List<LocalCard> all(List<ServerCard> servers, List<Operation> queue) {
        Map<String, ServerCard> byId = new LinkedHashMap<>();
        servers.forEach(card -> byId.put(card.id(), card));
        Map<String, List<Operation>> opsByCard = new LinkedHashMap<>();
        for (Operation op : queue) {
            opsByCard.computeIfAbsent(op.cardId(), id -> new ArrayList<>()).add(op);
            byId.putIfAbsent(op.cardId(), null);
        }
        List<LocalCard> cards = new ArrayList<>();
        byId.forEach((id, server) -> of(id, server, opsByCard.getOrDefault(id, List.of())).ifPresent(cards::add));
        cards.sort(Comparator.comparing(LocalCard::id));
        return cards;
    }
}
