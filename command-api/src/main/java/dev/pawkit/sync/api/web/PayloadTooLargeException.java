package dev.pawkit.sync.api.web;

/** The request body is over the 1 MiB limit: 413, nothing written. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(long limitBytes) {
        super("request bodies are limited to " + limitBytes + " bytes");
    }
}
