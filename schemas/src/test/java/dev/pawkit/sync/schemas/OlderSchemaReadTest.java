package dev.pawkit.sync.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.schemas.avro.CardDeletedEvent;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/** Events in the log outlive the code that wrote them: current code reads v1 events, v1 readers read current ones. */
class OlderSchemaReadTest {

    private static final Schema V1 = PublishedSchemas.versions().get(1)
            .get(CardEventRecord.getClassSchema().getFullName());

    @Test
    void anEventWrittenUnderV1IsReadByCurrentCodeWithItsActorUpcastToTheOwner() {
        GenericRecord deleted = new GenericData.Record(V1.getField("event").schema().getTypes().get(2));
        GenericRecord v1Event = new GenericRecordBuilder(V1)
                .set("cardId", "c1").set("ownerId", "alice").set("version", 3L)
                .set("at", Instant.parse("2026-01-02T03:04:05Z").toEpochMilli())
                .set("commandId", "cmd-1").set("idempotencyKey", "k1").set("clientId", null)
                .set("event", deleted).build();
        byte[] bytes = encode(new BinaryMessageEncoder<>(GenericData.get(), V1), v1Event);

        CardEventRecord read = AvroSerdes.events().deserialize("pawkit.card-events", bytes);

        assertThat(read.getCardId()).isEqualTo("c1");
        assertThat(read.getVersion()).isEqualTo(3);
        assertThat(read.getAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(read.getEvent()).isInstanceOf(CardDeletedEvent.class);
        assertThat(read.getActor()).as("v1 had no actor: the owner acted").isEqualTo("alice");
    }

    @Test
    void aCurrentEventIsReadByAConsumerThatOnlyKnowsV1() throws Exception {
        CardEventRecord current = CardEventRecord.newBuilder().setCardId("c2").setOwnerId("bob").setVersion(1)
                .setAt(Instant.parse("2026-11-25T00:00:00Z")).setCommandId("cmd-2").setIdempotencyKey(null)
                .setClientId("web").setActor("pawkit-enricher").setEvent(new CardDeletedEvent()).build();
        byte[] bytes = AvroSerdes.events().serialize("pawkit.card-events", current);

        SchemaStore.Cache writers = new SchemaStore.Cache();
        PublishedSchemas.versionsOf(V1.getFullName()).forEach(writers::addSchema);
        GenericRecord seenByV1 = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), V1, writers).decode(bytes);

        assertThat(seenByV1.get("cardId").toString()).isEqualTo("c2");
        assertThat(seenByV1.get("clientId").toString()).isEqualTo("web");
        assertThat(seenByV1.hasField("actor")).isFalse();
    }

    @Test
    void everyPublishedVersionOfEveryTypeIsKnownToItsSerde() {
        assertThat(PublishedSchemas.versionsOf(V1.getFullName())).hasSizeGreaterThanOrEqualTo(2);
        assertThat(List.copyOf(PublishedSchemas.versions().keySet())).startsWith(1, 2);
    }

    private static byte[] encode(BinaryMessageEncoder<GenericRecord> encoder, GenericRecord record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
