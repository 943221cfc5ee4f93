package dev.pawkit.sync.domain.log;

import dev.pawkit.sync.domain.Card;

/**
 * A card as the card store holds it: the card, tombstones included, and the position of its
 * latest change in its owner's change feed (so the feed keeps one entry per card).
 */
public record StoredCard(Card card, long changeSeq) {
}
