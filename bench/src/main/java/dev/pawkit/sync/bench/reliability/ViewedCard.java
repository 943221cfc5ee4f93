package dev.pawkit.sync.bench.reliability;

/**
 * A card as a view served it after the run.
 *
 * @param source {@link Source#CARD}: {@code GET /api/cards/{id}} ({@code found} false on a 404, which a
 *     deleted card also gets); {@link Source#CHANGES}: an item of {@code GET /api/cards/changes}
 */
public record ViewedCard(Source source, String user, String cardId, boolean found, long version, boolean deleted,
        String title) {

    public enum Source {
        CARD, CHANGES
    }

    public static ViewedCard notFound(String user, String cardId) {
        return new ViewedCard(Source.CARD, user, cardId, false, 0, false, null);
    }
}
