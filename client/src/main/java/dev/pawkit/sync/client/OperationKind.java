package dev.pawkit.sync.client;

/** What a queued operation asks of the server. */
public enum OperationKind {
    /** {@code POST /api/cards} with the client-generated card id. */
    CREATE,
    /** {@code PATCH /api/cards/{id}} with the version the change was made on. */
    UPDATE,
    /** {@code DELETE /api/cards/{id}?version=}. */
    DELETE,
    /** {@code POST /api/cards/{id}/refresh-metadata}: fetch the url card's page again. */
    REFRESH_METADATA
}
