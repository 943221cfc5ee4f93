package dev.pawkit.sync.schemas.sealing;

/**
 * The key store could not be reached to make or read a key: like an unreachable broker, a
 * condition to retry later (an HTTP write answers 503), never a bug.
 */
public final class KeysUnavailableException extends RuntimeException {

    public KeysUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
