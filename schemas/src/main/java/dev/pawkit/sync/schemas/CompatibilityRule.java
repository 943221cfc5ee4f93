package dev.pawkit.sync.schemas;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * How a schema may change between published versions, per kind of data:
 * <ul>
 *   <li>{@link #FULL} (events, card views, idempotency records): every version reads data of every
 *   other, in both directions. Events are read by consumers we do not deploy (analytics, other
 *   teams, other languages), and an older consumer must still read newer events.</li>
 *   <li>{@link #BACKWARD} (commands, outcomes): current code reads data of every older version.
 *   Only the projector and the API read them, and they are upgraded before anything writes the
 *   new version.</li>
 * </ul>
 * Both are transitive: checked against every published version, not only the previous one.
 */
public enum CompatibilityRule {
    FULL,
    BACKWARD;

    /** The rule of a top-level type, by its full name. */
    public static CompatibilityRule of(String fullName) {
        return fullName.endsWith("CardCommandRecord") || fullName.endsWith("CommandOutcomeRecord") ? BACKWARD : FULL;
    }

    /** Why {@code candidate} may not follow {@code published}, or null if it may. */
    public String violation(Schema candidate, List<Schema> published) {
        for (Schema earlier : published) {
            String problem = unreadable(candidate, earlier, "the new version cannot read data of an earlier version:");
            if (problem == null && this == FULL) {
                problem = unreadable(earlier, candidate, "readers of an earlier version cannot read the new one;");
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String unreadable(Schema reader, Schema writer, String who) {
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return null;
        }
        return who + " " + result.getResult().getIncompatibilities();
    }
}
