package dev.pawkit.sync.client;

/** The local store could not be read or written: the client cannot promise durability, so it says so. */
public final class StoreException extends RuntimeException {

    StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
