package dev.pawkit.sync.client;

/** A {@link ConflictResolver}'s answer. */
public sealed interface Resolution {

    /** A short name for the journal. */
    String name();

    /** Apply my change (or deletion) as it is, on the server's current version. */
    record SendMine() implements Resolution {
        @Override
        public String name() {
            return "keep-mine";
        }
    }

    /** Drop my change and take the server's card; the dropped change stays in the journal. */
    record TakeServer() implements Resolution {
        @Override
        public String name() {
            return "use-server";
        }
    }

    /** Apply this patch instead, on the server's current version (empty: nothing left to send). Updates only. */
    record Send(CardPatch patch) implements Resolution {
        @Override
        public String name() {
            return "merge";
        }
    }
}
