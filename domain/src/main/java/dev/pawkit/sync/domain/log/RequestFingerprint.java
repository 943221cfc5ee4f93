package dev.pawkit.sync.domain.log;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardCommand.ApplyMetadata;
import dev.pawkit.sync.domain.CardCommand.CreateCard;
import dev.pawkit.sync.domain.CardCommand.DeleteCard;
import dev.pawkit.sync.domain.CardCommand.RefreshMetadata;
import dev.pawkit.sync.domain.CardCommand.UpdateCard;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.MetadataStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Identifies "the same request" for idempotency: a hash of the request (say {@code POST /api/cards})
 * and of what the command means, in a canonical form of named fields, sorted by name, where a field
 * at its default (absent text, empty list, false, an edit that keeps) is left out. So the
 * fingerprint depends on meaning only: not on JSON whitespace or key order, not on a wire schema,
 * and not on a field added later, as long as the request leaves it at its default. Another value,
 * version or If-Match makes another request.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    public static String of(String request, CardCommand command) {
        Map<String, String> fields = new TreeMap<>();
        put(fields, "request", request);
        put(fields, "card", command.cardId());
        if (command instanceof CreateCard create) {
            put(fields, "command", "create");
            fields(fields, "fields.", create.fields());
        } else if (command instanceof UpdateCard update) {
            put(fields, "command", "update");
            patch(fields, "patch.", update.patch());
            expected(fields, update.expected());
        } else if (command instanceof DeleteCard delete) {
            put(fields, "command", "delete");
            expected(fields, delete.expected());
        } else if (command instanceof RefreshMetadata) {
            put(fields, "command", "refresh-metadata");
        } else if (command instanceof CardCommand.EraseUser) {
            put(fields, "command", "erase-user");
        } else {
            // What a metadata answer asks for is the fetch it answers: a page that changed between
            // two answers to the same request makes the second a replay, not a reused key.
            put(fields, "command", "apply-metadata");
            put(fields, "forVersion", Long.toString(((ApplyMetadata) command).forVersion()));
        }
        return sha256(canonical(fields));
    }

    private static void fields(Map<String, String> out, String prefix, CardFields fields) {
        put(out, prefix + "type", fields.type().wireName());
        put(out, prefix + "url", fields.url());
        put(out, prefix + "title", fields.title());
        put(out, prefix + "notes", fields.notes());
        put(out, prefix + "content", fields.content());
        list(out, prefix + "tags", fields.tags());
        list(out, prefix + "collections", fields.collections());
        if (fields.pinned()) {
            put(out, prefix + "pinned", "true");
        }
        Metadata metadata = fields.metadata();
        put(out, prefix + "metadata.description", metadata.description());
        put(out, prefix + "metadata.image", metadata.image());
        put(out, prefix + "metadata.title", metadata.title());
        put(out, prefix + "metadata.siteName", metadata.siteName());
        put(out, prefix + "metadata.favicon", metadata.favicon());
        status(out, prefix + "metadata.status", metadata.status());
    }

    private static void patch(Map<String, String> out, String prefix, CardPatch patch) {
        text(out, prefix + "url", patch.url());
        text(out, prefix + "title", patch.title());
        text(out, prefix + "notes", patch.notes());
        text(out, prefix + "content", patch.content());
        if (patch.tags() instanceof Edit.SetTo<List<String>> tags) {
            put(out, prefix + "tags", "set");
            list(out, prefix + "tags", tags.value());
        }
        if (patch.collections() instanceof Edit.SetTo<List<String>> collections) {
            put(out, prefix + "collections", "set");
            list(out, prefix + "collections", collections.value());
        }
        if (patch.pinned() instanceof Edit.SetTo<Boolean> pinned) {
            put(out, prefix + "pinned", pinned.value().toString());
        }
        text(out, prefix + "metadata.description", patch.metadataDescription());
        text(out, prefix + "metadata.image", patch.metadataImage());
        text(out, prefix + "metadata.title", patch.metadataTitle());
        text(out, prefix + "metadata.siteName", patch.metadataSiteName());
        text(out, prefix + "metadata.favicon", patch.metadataFavicon());
        if (patch.metadataStatus() instanceof Edit.SetTo<MetadataStatus> status) {
            put(out, prefix + "metadata.status", "set");
            status(out, prefix + "metadata.status", status.value());
        }
    }

    private static void expected(Map<String, String> out, ExpectedVersion expected) {
        if (expected instanceof ExpectedVersion.InBody body) {
            put(out, "expected.body", Long.toString(body.version()));
        } else if (expected instanceof ExpectedVersion.IfMatch ifMatch) {
            put(out, "expected.ifMatch", Long.toString(ifMatch.version()));
        }
    }

    /** A text edit: left out when it keeps; "set to null" (clear) differs from "set to a value". */
    private static void text(Map<String, String> out, String name, Edit<String> edit) {
        if (edit instanceof Edit.SetTo<String> set) {
            put(out, name, set.value() == null ? "cleared" : "set");
            put(out, name + ".value", set.value());
        }
    }

    private static void status(Map<String, String> out, String name, MetadataStatus status) {
        if (status != null) {
            put(out, name + ".state", status.state().name());
            put(out, name + ".url", status.url());
            put(out, name + ".requestedAt", Long.toString(status.requestedAt()));
            put(out, name + ".reason", status.reason());
            put(out, name + ".fetchedAt", status.fetchedAt() == null ? null : status.fetchedAt().toString());
        }
    }

    private static void list(Map<String, String> out, String name, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            put(out, name + "." + i, values.get(i));
        }
    }

    private static void put(Map<String, String> out, String name, String value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    /** Length-prefixed, so no value can pass for another field boundary. */
    private static byte[] canonical(Map<String, String> fields) {
        StringBuilder text = new StringBuilder();
        fields.forEach((name, value) -> text.append(name.length()).append(':').append(name)
                .append(value.length()).append(':').append(value).append('\n'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
