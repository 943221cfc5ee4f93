package dev.pawkit.sync.api.write;

/** The documented input limits (README "Limits"). Bodies over {@link #MAX_BODY_BYTES} get 413. */
public final class CardLimits {

    public static final int MAX_BODY_BYTES = 1024 * 1024;
    public static final int MAX_URL = 2048;
    public static final int MAX_TITLE = 1000;
    public static final int MAX_NOTES = 100_000;
    public static final int MAX_CONTENT = 500_000;
    public static final int MAX_TAGS = 100;
    public static final int MAX_TAG = 100;
    public static final int MAX_COLLECTIONS = 100;
    public static final int MAX_COLLECTION = 200;
    public static final int MAX_DESCRIPTION = 2000;
    public static final int MAX_IDEMPOTENCY_KEY = 255;

    private CardLimits() {
    }
}
