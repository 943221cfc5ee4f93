package dev.pawkit.sync.api.write;

import dev.pawkit.sync.api.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** The command could not be appended in time: answered 503 with Retry-After; retrying with the same key is safe. */
public class BrokerUnavailableException extends RuntimeException {

    public BrokerUnavailableException(Throwable cause) {
        super("the event log is unreachable", cause);
    }

    /** The answer, for a request alone and for a batch member alike. */
    public ResponseEntity<ProblemDetail> response() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                .body(Problems.brokerUnavailable());
    }
}
