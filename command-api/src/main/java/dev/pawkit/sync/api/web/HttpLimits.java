package dev.pawkit.sync.api.web;

/**
 * The limits of the HTTP edge itself (README "Limits"): bodies over {@link #MAX_BODY_BYTES} get 413,
 * longer idempotency keys 400. What a card's fields may hold is the domain's {@code CardRules}.
 */
public final class HttpLimits {

    public static final int MAX_BODY_BYTES = 1024 * 1024;
    public static final int MAX_IDEMPOTENCY_KEY = 255;

    private HttpLimits() {
    }
}
