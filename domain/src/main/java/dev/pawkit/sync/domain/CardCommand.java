package dev.pawkit.sync.domain;

import java.time.Instant;

/** What a user, or a component acting for them, asks to happen to one of their cards. */
public sealed interface CardCommand {

    String cardId();

    record CreateCard(String cardId, CardFields fields) implements CardCommand {
    }

    record UpdateCard(String cardId, CardPatch patch, ExpectedVersion expected) implements CardCommand {
    }

    record DeleteCard(String cardId, ExpectedVersion expected) implements CardCommand {
    }

    /** Fetch the page metadata of a url card again. */
    record RefreshMetadata(String cardId) implements CardCommand {
    }

    /**
     * The result of the fetch requested at card version {@code forVersion}: the page's metadata,
     * or why it could not be had ({@code failure}, with {@code page} null).
     */
    record ApplyMetadata(String cardId, long forVersion, PageMetadata page, String failure, Instant fetchedAt)
            implements CardCommand {
    }

    /**
     * Forget the user: every card, its history and every stored answer of theirs, and their data
     * keys, so that nothing they wrote can be read again. Not about one card ({@link #cardId} is
     * empty); the projector carries it out for all of the user's cards at once.
     */
    record EraseUser() implements CardCommand {
        @Override
        public String cardId() {
            return "";
        }
    }
}
