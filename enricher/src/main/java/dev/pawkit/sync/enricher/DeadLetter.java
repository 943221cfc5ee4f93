package dev.pawkit.sync.enricher;

import dev.pawkit.sync.schemas.sealing.ContentSealer;
import dev.pawkit.sync.schemas.sealing.Sealed;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A page that could not be had, for operators: one JSON value per failed request on the
 * dead-letter topic, keyed by card id. The card itself records the failure; this is the list to
 * watch (a site blocking the enricher, a policy refusing too much) and to retry from.
 *
 * <p>The page's url and the reason (which may name the url's host) are the owner's: they are
 * sealed under the owner's key like every personal field in the log, so erasing the owner erases
 * them here too. The user, card, version and time stay readable, enough to count and to retry.
 */
public record DeadLetter(String userId, String cardId, long forVersion, String url, String reason, Instant at) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static DeadLetter of(FetchRequest request, String reason, Instant at) {
        return new DeadLetter(request.userId(), request.cardId(), request.forVersion(), request.url(), reason, at);
    }

    /** The value written: the url and the reason sealed under the owner's current key, the rest readable. */
    public byte[] sealedJson(ContentSealer sealer) {
        Map<String, Object> personal = new LinkedHashMap<>();
        personal.put("url", url);
        personal.put("reason", reason);
        Sealed sealed = sealer.seal(userId, JSON.writeValueAsBytes(personal));
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("user", userId);
        value.put("card", cardId);
        value.put("forVersion", forVersion);
        value.put("at", at.toString());
        value.put("sealed", Map.of("keyId", sealed.keyId(),
                "ciphertext", Base64.getEncoder().encodeToString(sealed.ciphertext())));
        return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A dead letter as {@link #sealedJson} wrote it, opened; empty when its owner's keys were
     * destroyed (the letter is then as good as gone). A letter written before sealing (url and
     * reason in clear) reads as it is; it expires with the topic's retention.
     */
    public static Optional<DeadLetter> open(byte[] value, ContentSealer sealer) {
        JsonNode letter = JSON.readTree(value);
        String userId = letter.get("user").stringValue();
        JsonNode personal = letter;
        JsonNode sealed = letter.get("sealed");
        if (sealed != null) {
            Optional<byte[]> opened = sealer.open(userId, new Sealed(sealed.get("keyId").stringValue(),
                    Base64.getDecoder().decode(sealed.get("ciphertext").stringValue())));
            if (opened.isEmpty()) {
                return Optional.empty();
            }
            personal = JSON.readTree(opened.get());
        }
        return Optional.of(new DeadLetter(userId, letter.get("card").stringValue(), letter.get("forVersion").longValue(),
                personal.get("url").stringValue(), personal.get("reason").stringValue(),
                Instant.parse(letter.get("at").stringValue())));
    }
}
