package dev.pawkit.sync.api.read;

import dev.pawkit.sync.domain.CardHistory;
import dev.pawkit.sync.domain.log.EventEnvelope;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON shape of one history entry: what changed, when, and who and what caused it. */
final class HistoryJson {

    private HistoryJson() {
    }

    static Map<String, Object> of(CardHistory.Entry entry, EventEnvelope record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", entry.event().version());
        json.put("type", CardHistory.kind(entry.event()));
        json.put("at", entry.event().at().toString());
        json.put("userId", record.ownerId());
        // Who made the change: the user, or a system component acting for them.
        json.put("actor", record.actor());
        json.put("commandId", record.commandId());
        json.put("idempotencyKey", record.idempotencyKey());
        json.put("clientId", record.clientId());
        json.put("changes", entry.changes().stream().map(change -> {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("field", change.field());
            field.put("before", change.before());
            field.put("after", change.after());
            return field;
        }).toList());
        return json;
    }
}
