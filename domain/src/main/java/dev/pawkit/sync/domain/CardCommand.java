package dev.pawkit.sync.domain;

/** What a user asks to happen to one of their cards. */
public sealed interface CardCommand {

    String cardId();

    record CreateCard(String cardId, CardFields fields) implements CardCommand {
    }

    record UpdateCard(String cardId, CardPatch patch, ExpectedVersion expected) implements CardCommand {
    }

    record DeleteCard(String cardId, ExpectedVersion expected) implements CardCommand {
    }
}
