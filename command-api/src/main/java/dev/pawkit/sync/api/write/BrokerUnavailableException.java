package dev.pawkit.sync.api.write;

/** The command could not be appended in time: answered 503 with Retry-After; retrying with the same key is safe. */
public class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(Throwable cause) {
        super("the event log is unreachable", cause);
    }
}
