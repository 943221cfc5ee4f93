package dev.pawkit.sync.api.web;

/** A body that is not JSON: 415, nothing written. */
public class UnsupportedBodyTypeException extends RuntimeException {

    public UnsupportedBodyTypeException(String contentType) {
        super("bodies must be application/json, not " + contentType);
    }
}
