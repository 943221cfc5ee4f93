package dev.pawkit.sync.api.web;

/** The request is malformed or breaks a documented limit: 400, nothing written. */
public class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String detail) {
        super(detail);
    }
}
