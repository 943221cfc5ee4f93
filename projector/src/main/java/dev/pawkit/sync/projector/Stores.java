package dev.pawkit.sync.projector;

/** Names of the projector's state stores, queried by the API through interactive queries. */
public final class Stores {

    /** (user, card id) → CardView, tombstones included: the card views and the per-user card index. */
    public static final String CARDS = "cards";
    /** (user, idempotency key) → IdempotencyRecord. */
    public static final String IDEMPOTENCY = "idempotency";
    /** (user, command id) → CommandOutcomeRecord: what GET /api/commands/{id} answers. */
    public static final String OUTCOMES = "command-outcomes";
    /** (user, change seq) → card id: the per-user change feed, one entry per card at its latest change. */
    public static final String CHANGES = "change-feed";
    /** user → last change seq handed out. */
    public static final String USER_SEQUENCE = "user-sequence";
    /** (user, card id, version) → CardEventRecord: every event of every card, kept forever like the log. */
    public static final String HISTORY = "card-history";
    /** (due time, store, key) → "": what the purge deletes, in time order. */
    public static final String EXPIRY_INDEX = "expiry-index";

    /** Every store of the projector (and of a view rebuild, which has the views among them). */
    public static final java.util.List<String> ALL = java.util.List.of(CARDS, IDEMPOTENCY, OUTCOMES, CHANGES,
            USER_SEQUENCE, HISTORY, EXPIRY_INDEX);

    private Stores() {
    }
}
