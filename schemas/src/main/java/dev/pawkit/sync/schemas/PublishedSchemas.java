package dev.pawkit.sync.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * Every published version of the schemas, as kept in {@code src/main/resources/avro/published/vN}:
 * a version is the whole set of files, parsed together (records name each other). Data written
 * under any of them stays readable: serdes resolve each value's writer schema from here by its
 * fingerprint, and the build refuses a current schema that breaks {@link CompatibilityRule}.
 */
public final class PublishedSchemas {

    /** The schema files, in an order where every named type is defined before it is used. */
    static final List<String> FILES = List.of("CardFields", "CardPatch", "CardView", "CardCommandRecord",
            "CardEventRecord", "CommandOutcomeRecord", "IdempotencyRecord");

    private static final SortedMap<Integer, Map<String, Schema>> VERSIONS = load();

    private PublishedSchemas() {
    }

    /** Version number → full name → schema, oldest version first. */
    public static SortedMap<Integer, Map<String, Schema>> versions() {
        return VERSIONS;
    }

    /** Every published version of the type with that full name, oldest first. */
    public static List<Schema> versionsOf(String fullName) {
        List<Schema> schemas = new ArrayList<>();
        VERSIONS.values().forEach(version -> {
            Schema schema = version.get(fullName);
            if (schema != null) {
                schemas.add(schema);
            }
        });
        return schemas;
    }

    /**
     * Every published version of a named type defined anywhere in the schemas (a record nested in
     * another, such as PageMetadataRecord), oldest first, each distinct version once.
     */
    public static List<Schema> versionsOfNested(String fullName) {
        List<Schema> schemas = new ArrayList<>();
        VERSIONS.values().forEach(version -> version.values().stream()
                .map(schema -> find(schema, fullName, new HashSet<>()))
                .filter(Objects::nonNull).findFirst()
                .filter(found -> !schemas.contains(found))
                .ifPresent(schemas::add));
        return schemas;
    }

    private static Schema find(Schema schema, String fullName, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (schema.getFullName().equals(fullName)) {
                    return schema;
                }
                if (!seen.add(schema.getFullName())) {
                    return null;
                }
                for (Schema.Field field : schema.getFields()) {
                    Schema found = find(field.schema(), fullName, seen);
                    if (found != null) {
                        return found;
                    }
                }
                return null;
            }
            case UNION -> {
                for (Schema branch : schema.getTypes()) {
                    Schema found = find(branch, fullName, seen);
                    if (found != null) {
                        return found;
                    }
                }
                return null;
            }
            case ARRAY -> {
                return find(schema.getElementType(), fullName, seen);
            }
            case MAP -> {
                return find(schema.getValueType(), fullName, seen);
            }
            default -> {
                return null;
            }
        }
    }

    private static SortedMap<Integer, Map<String, Schema>> load() {
        SortedMap<Integer, Map<String, Schema>> versions = new TreeMap<>();
        for (int version = 1; resource(version, FILES.get(0)) != null; version++) {
            Schema.Parser parser = new Schema.Parser();
            Map<String, Schema> schemas = new LinkedHashMap<>();
            for (String file : FILES) {
                try (InputStream in = resource(version, file)) {
                    if (in == null) {
                        throw new IllegalStateException("published schema v" + version + " lacks " + file + ".avsc");
                    }
                    Schema schema = parser.parse(in);
                    schemas.put(schema.getFullName(), schema);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            versions.put(version, Map.copyOf(schemas));
        }
        return versions;
    }

    private static InputStream resource(int version, String file) {
        return PublishedSchemas.class.getResourceAsStream("/avro/published/v" + version + "/" + file + ".avsc");
    }
}
