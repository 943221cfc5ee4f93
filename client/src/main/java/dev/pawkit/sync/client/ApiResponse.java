package dev.pawkit.sync.client;

/**
 * An HTTP answer, reduced to what the client acts on.
 *
 * @param location the {@code Location} header, or null
 * @param retryAfter the {@code Retry-After} header, or null
 */
record ApiResponse(int status, String body, String location, String retryAfter) {
}
