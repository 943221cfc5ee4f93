package dev.pawkit.sync.api.write;

import dev.pawkit.sync.api.web.HttpLimits;
import dev.pawkit.sync.api.web.InvalidRequestException;
import dev.pawkit.sync.api.web.UnsupportedBodyTypeException;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.ExpectedVersion;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.http.MediaType;

/**
 * A card write's request, read into its command: the body, the card id of the path, the
 * {@code If-Match} and {@code Idempotency-Key} headers. One place for the single endpoints
 * ({@link CardWriteController}) and the members of a batch ({@link BatchController}), so a member
 * is decided exactly as the same request sent alone. Bad input is an {@link InvalidRequestException} (400).
 */
final class CardWriteRequests {

    private CardWriteRequests() {
    }

    static CardCommand create(String userId, String idempotencyKey, byte[] body) {
        CardRequestReader.CreateRequest create = CardRequestReader.readCreate(body);
        String cardId = create.clientId() != null ? create.clientId() : newCardId(userId, idempotencyKey);
        return new CardCommand.CreateCard(cardId, create.fields());
    }

    /** @param cardId the path's card id, already checked ({@link #cardId}): it is checked first, before the body */
    static CardCommand update(String cardId, String ifMatch, byte[] body) {
        CardRequestReader.PatchRequest patch = CardRequestReader.readPatch(body);
        return new CardCommand.UpdateCard(cardId, patch.patch(), expected(ifMatch, patch.version()));
    }

    /**
     * @param cardId the path's card id, already checked ({@link #cardId})
     * @param versionParam the {@code ?version=} of the query, or null
     */
    static CardCommand delete(String cardId, String ifMatch, String versionParam, byte[] body) {
        Long bodyVersion = CardRequestReader.readDeleteVersion(body);
        Long queryVersion = versionParam == null ? null : positiveVersion(versionParam);
        if (bodyVersion != null && queryVersion != null) {
            throw new InvalidRequestException("give the version in the query or in the body, not both");
        }
        return new CardCommand.DeleteCard(cardId, expected(ifMatch, queryVersion != null ? queryVersion : bodyVersion));
    }

    /** The card id of a path, in canonical form, or a 400. */
    static String cardId(String pathId) {
        return CardRequestReader.uuid(pathId, "the card id in the URL");
    }

    /**
     * A create's card id when the client chose none: derived from user and key, so a retry of the
     * same create names the same card (and lands in the same partition); random without a key,
     * which makes such a create not idempotent.
     */
    private static String newCardId(String userId, String idempotencyKey) {
        if (idempotencyKey == null) {
            return UUID.randomUUID().toString();
        }
        return UUID.nameUUIDFromBytes((userId + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > HttpLimits.MAX_IDEMPOTENCY_KEY
                || !key.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new InvalidRequestException("Idempotency-Key must be 1 to " + HttpLimits.MAX_IDEMPOTENCY_KEY
                    + " printable ASCII characters (a UUID is recommended)");
        }
        return key;
    }

    static String clientId(String clientId) {
        if (clientId != null && (clientId.isEmpty() || clientId.length() > 255)) {
            throw new InvalidRequestException("X-Client-Id must be 1 to 255 characters");
        }
        return clientId;
    }

    /** If-Match (412 on mismatch) or a body/query version (409 on mismatch); neither is last write wins. */
    private static ExpectedVersion expected(String ifMatch, Long version) {
        if (ifMatch != null && version != null) {
            throw new InvalidRequestException("give either If-Match or a version, not both");
        }
        if (ifMatch != null) {
            String value = ifMatch.trim();
            if (value.equals("*")) {
                return ExpectedVersion.any();
            }
            if (value.length() < 3 || !value.startsWith("\"") || !value.endsWith("\"")) {
                throw new InvalidRequestException("If-Match must be a strong ETag such as \"3\"");
            }
            return new ExpectedVersion.IfMatch(positiveVersion(value.substring(1, value.length() - 1)));
        }
        return version == null ? ExpectedVersion.any() : new ExpectedVersion.InBody(version);
    }

    private static long positiveVersion(String text) {
        try {
            long version = Long.parseLong(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // Fall through to the 400 below.
        }
        throw new InvalidRequestException("version must be a positive integer");
    }

    /** JSON or a {@code +json} type; no Content-Type only without a body (415 otherwise). */
    static void requireJson(String contentType, byte[] body) {
        if (contentType == null) {
            if (body == null || body.length == 0) {
                return;
            }
            throw new UnsupportedBodyTypeException("a body without Content-Type");
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedBodyTypeException(contentType);
        }
        if (!MediaType.APPLICATION_JSON.isCompatibleWith(type) && !type.getSubtype().endsWith("+json")) {
            throw new UnsupportedBodyTypeException(contentType);
        }
    }
}
