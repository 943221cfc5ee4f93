package dev.pawkit.sync.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import dev.pawkit.sync.schemas.avro.IdempotencyRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The build's guard on schema changes: every published version is kept, the current schemas are
 * the newest of them, and each version follows its rule against all earlier ones. A change that
 * breaks this fails {@code mvn verify}.
 */
class SchemaEvolutionTest {

    private static final List<Schema> CURRENT = List.of(CardCommandRecord.getClassSchema(),
            CardEventRecord.getClassSchema(), CommandOutcomeRecord.getClassSchema(), CardView.getClassSchema(),
            IdempotencyRecord.getClassSchema());

    @Test
    void theCurrentSchemasArePublishedAsTheNewestVersion() {
        Map<String, Schema> newest = PublishedSchemas.versions().get(PublishedSchemas.versions().lastKey());
        for (Schema current : CURRENT) {
            assertThat(newest.get(current.getFullName()).toString())
                    .as("%s changed: publish it as a new version under src/main/resources/avro/published/v%d",
                            current.getName(), PublishedSchemas.versions().lastKey() + 1)
                    .isEqualTo(withoutJavaStringHints(current));
        }
    }

    @Test
    void everyPublishedVersionFollowsItsRuleAgainstAllEarlierOnes() {
        assertThat(PublishedSchemas.versions()).hasSizeGreaterThanOrEqualTo(2);
        for (Schema current : CURRENT) {
            List<Schema> versions = PublishedSchemas.versionsOf(current.getFullName());
            CompatibilityRule rule = CompatibilityRule.of(current.getFullName());
            for (int i = 1; i < versions.size(); i++) {
                assertThat(rule.violation(versions.get(i), versions.subList(0, i)))
                        .as("%s v%d under rule %s", current.getName(), i + 1, rule).isNull();
            }
        }
    }

    @Test
    void addingAnOptionalFieldWithADefaultToAnEventIsAllowed() {
        Schema next = withExtraField(CardEventRecord.getClassSchema(),
                "{\"name\": \"source\", \"type\": [\"null\", \"string\"], \"default\": null}");
        assertThat(CompatibilityRule.FULL.violation(next, PublishedSchemas.versionsOf(next.getFullName()))).isNull();
    }

    @Test
    void addingARequiredFieldToAnEventIsRefused() {
        // Current code could not read older events: they have no value and there is no default.
        Schema next = withExtraField(CardEventRecord.getClassSchema(), "{\"name\": \"source\", \"type\": \"string\"}");
        assertThat(CompatibilityRule.FULL.violation(next, PublishedSchemas.versionsOf(next.getFullName())))
                .isNotNull();
    }

    @Test
    void removingAFieldWithoutADefaultFromAnEventIsRefused() {
        // Older consumers, which still expect the field, could not read newer events.
        Schema current = CardEventRecord.getClassSchema();
        Schema next = withoutField(current, "version");
        assertThat(CompatibilityRule.FULL.violation(next, PublishedSchemas.versionsOf(next.getFullName())))
                .isNotNull();
    }

    @Test
    void commandsMayGainAKindThatOlderReadersDoNotKnowButEventsMayNot() {
        // A new branch in the union: current code reads old data (BACKWARD), old code cannot read new data.
        String extraKind = "{\"type\": \"record\", \"name\": \"ArchiveCardCommand\", \"fields\": []}";
        Schema commands = withUnionBranch(CardCommandRecord.getClassSchema(), "command", extraKind);
        assertThat(CompatibilityRule.BACKWARD.violation(commands, PublishedSchemas.versionsOf(commands.getFullName())))
                .isNull();
        Schema events = withUnionBranch(CardEventRecord.getClassSchema(), "event",
                extraKind.replace("ArchiveCardCommand", "CardArchivedEvent"));
        assertThat(CompatibilityRule.FULL.violation(events, PublishedSchemas.versionsOf(events.getFullName())))
                .isNotNull();
    }

    /** Code generation marks strings as java.lang.String: a Java detail, not part of the published schema. */
    private static String withoutJavaStringHints(Schema generated) {
        return generated.toString().replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"");
    }

    private static Schema withExtraField(Schema schema, String fieldJson) {
        String json = schema.toString();
        return new Schema.Parser().parse(json.substring(0, json.lastIndexOf(']')) + "," + fieldJson + "]}");
    }

    private static Schema withoutField(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            if (!field.name().equals(name)) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static Schema withUnionBranch(Schema schema, String unionField, String branchJson) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            Schema type = field.schema();
            if (field.name().equals(unionField)) {
                List<Schema> branches = new ArrayList<>(type.getTypes());
                branches.add(new Schema.Parser().parse(branchJson.replace("{\"type\": \"record\",",
                        "{\"type\": \"record\", \"namespace\": \"" + schema.getNamespace() + "\",")));
                type = Schema.createUnion(branches);
            }
            fields.add(new Schema.Field(field, type));
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
