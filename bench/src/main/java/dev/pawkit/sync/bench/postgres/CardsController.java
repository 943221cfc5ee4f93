package dev.pawkit.sync.bench.postgres;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The card routes of Pawkit's contract that the benchmark drives: read and check the request
 * (400/413/415 before anything is written), hand it to {@link CardWrites}, send its answer.
 */
@RestController
@RequestMapping("/api/cards")
class CardsController {

    private static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final CardWrites writes;
    private final CardStore cards;

    CardsController(CardWrites writes, CardStore cards) {
        this.writes = writes;
        this.cards = cards;
    }

    @PostMapping
    ResponseEntity<byte[]> create(@AuthenticationPrincipal Jwt user,
            @RequestHeader(value = "Idempotency-Key", required = false) String key,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        requireJson(request, body);
        String idempotencyKey = CardRequests.key(key);
        CardRequests.Create create = CardRequests.create(body);
        String id = create.id() != null ? create.id() : newCardId(user.getSubject(), idempotencyKey);
        return send(writes.create(request.getRequestURI(), user.getSubject(), idempotencyKey,
                fingerprint(request, null, create.canonical()), id, create.fields()));
    }

    @PatchMapping("/{id}")
    ResponseEntity<byte[]> update(@AuthenticationPrincipal Jwt user, @PathVariable String id,
            @RequestHeader(value = "Idempotency-Key", required = false) String key,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        String cardId = CardRequests.uuid(id, "the card id in the URL");
        requireJson(request, body);
        String idempotencyKey = CardRequests.key(key);
        CardRequests.Patch patch = CardRequests.patch(body);
        CardRequests.Expected expected = CardRequests.expected(ifMatch, patch.version());
        return send(writes.update(request.getRequestURI(), user.getSubject(), idempotencyKey,
                fingerprint(request, ifMatch, patch.canonical()), cardId, patch.changes(), expected));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<byte[]> delete(@AuthenticationPrincipal Jwt user, @PathVariable String id,
            @RequestParam(value = "version", required = false) String versionParam,
            @RequestHeader(value = "Idempotency-Key", required = false) String key,
            @RequestHeader(value = "If-Match", required = false) String ifMatch,
            @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        String cardId = CardRequests.uuid(id, "the card id in the URL");
        if (body != null && body.length > 0) {
            requireJson(request, body);
        }
        String idempotencyKey = CardRequests.key(key);
        CardRequests.Delete delete = CardRequests.delete(body);
        Long queryVersion = versionParam == null ? null : CardRequests.positiveVersion(versionParam);
        if (delete.version() != null && queryVersion != null) {
            throw Problems.invalid("give the version in the query or in the body, not both");
        }
        CardRequests.Expected expected = CardRequests.expected(ifMatch,
                queryVersion != null ? queryVersion : delete.version());
        return send(writes.delete(request.getRequestURI(), user.getSubject(), idempotencyKey,
                fingerprint(request, ifMatch, delete.canonical()), cardId, expected));
    }

    /** The user's card, live; another user's, a deleted or an unknown card is 404. */
    @GetMapping("/{id}")
    ResponseEntity<Object> card(@AuthenticationPrincipal Jwt user, @PathVariable String id,
            @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch) {
        String cardId = CardRequests.uuid(id, "the card id in the URL");
        Optional<Card> card = cards.find(user.getSubject(), cardId).filter(c -> !c.deleted());
        if (card.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "no card " + cardId));
        }
        String etag = Card.etag(card.get().version());
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).body(card.get().json());
    }

    /** The stored answer's bytes, as first sent or replayed. */
    private static ResponseEntity<byte[]> send(WriteResponse response) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(response.status())
                .contentType(response.status() >= 400 ? MediaType.APPLICATION_PROBLEM_JSON
                        : MediaType.APPLICATION_JSON);
        if (response.etag() != null) {
            builder.header(HttpHeaders.ETAG, response.etag());
        }
        if (response.location() != null) {
            builder.header(HttpHeaders.LOCATION, response.location());
        }
        if (response.replayed()) {
            builder.header(REPLAYED_HEADER, "true");
        }
        return builder.body(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String fingerprint(HttpServletRequest request, String ifMatch, String canonicalBody) {
        String query = request.getQueryString() == null ? "" : "?" + request.getQueryString();
        return IdempotencyKeys.fingerprint(request.getMethod() + " " + request.getRequestURI() + query, ifMatch,
                canonicalBody);
    }

    /** As Pawkit: from user and key, so a retried create names the same card; random without a key. */
    private static String newCardId(String userId, String idempotencyKey) {
        if (idempotencyKey == null) {
            return UUID.randomUUID().toString();
        }
        return UUID.nameUUIDFromBytes((userId + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static void requireJson(HttpServletRequest request, byte[] body) {
        if (body != null && body.length > CardRequests.MAX_BODY_BYTES) {
            throw new Problems.Refused(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
                    "request bodies are limited to " + CardRequests.MAX_BODY_BYTES + " bytes (1 MiB)");
        }
        String contentType = request.getContentType();
        if (contentType == null) {
            if (body == null || body.length == 0) {
                return;
            }
            throw unsupported("a body without Content-Type");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            throw unsupported(contentType);
        }
        if (!MediaType.APPLICATION_JSON.isCompatibleWith(type) && !type.getSubtype().endsWith("+json")) {
            throw unsupported(contentType);
        }
    }

    private static Problems.Refused unsupported(String what) {
        return new Problems.Refused(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Unsupported media type", "bodies must be application/json, not " + what);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String value = candidate.trim();
            if (value.equals("*") || value.equals(etag) || value.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
