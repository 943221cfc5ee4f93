package dev.pawkit.sync.enricher;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A page that could not be had, for operators: one JSON value per failed request on the
 * dead-letter topic, keyed by card id. The card itself records the failure; this is the list to
 * watch (a site blocking the enricher, a policy refusing too much) and to retry from.
 */
public record DeadLetter(String userId, String cardId, long forVersion, String url, String reason, Instant at) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static DeadLetter of(FetchRequest request, String reason, Instant at) {
        return new DeadLetter(request.userId(), request.cardId(), request.forVersion(), request.url(), reason, at);
    }

    public byte[] toJson() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("user", userId);
        value.put("card", cardId);
        value.put("forVersion", forVersion);
        value.put("url", url);
        value.put("reason", reason);
        value.put("at", at.toString());
        return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
    }
}
