package dev.pawkit.sync.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.RequestFingerprint;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.sealing.ContentSealer;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.junit.jupiter.api.Test;

/**
 * The request fingerprint is computed from the command's meaning, not from its encoding: a client
 * retry that spans a deploy in which the command schema gained an optional field is still the same
 * request (a replay), not a reused key.
 */
class FingerprintAcrossSchemasTest {

    private static final String REQUEST = "PATCH /api/cards/c1";
    private static final Schema CURRENT = CardCommandRecord.getClassSchema();
    private static final RecordSealing SEALING = new RecordSealing(new ContentSealer(new InMemoryUserKeys()));

    @Test
    void theSameRequestUnderTheCurrentSchemaAndUnderOneWithOneMoreOptionalFieldHasOneFingerprint() throws Exception {
        CardCommand command = new CardCommand.UpdateCard("c1", new CardPatch(Edit.keep(), Edit.to("Groceries"),
                Edit.keep(), Edit.keep(), Edit.to(List.of("home")), Edit.keep(), Edit.to(true), Edit.keep(),
                Edit.keep()), new ExpectedVersion.InBody(3));
        CommandEnvelope sent = new CommandEnvelope("cmd-1", "alice", "alice", "key-1",
                RequestFingerprint.of(REQUEST, command), "web", command);
        byte[] underCurrent = new PawkitSerdes(SEALING).commands().serializer().serialize("pawkit.card-commands", sent);

        // The next schema: one more optional field, left at its default by this request.
        Schema next = withOneMoreOptionalField(CURRENT);
        byte[] underNext = reencode(underCurrent, next);
        CommandEnvelope read = new MappedSerde<>(
                new SingleObjectSerde<>(CardCommandRecord.class, CURRENT, List.of(CURRENT, next)),
                CommandMapper::toRecord, record -> SEALING.open(record).map(CommandMapper::toDomain).orElseThrow())
                .deserialize("pawkit.card-commands", underNext);

        assertThat(read).isEqualTo(sent);
        assertThat(RequestFingerprint.of(REQUEST, read.command())).isEqualTo(sent.fingerprint());
        // A hash of the wire bytes (what the fingerprint used to be) would not have survived the deploy:
        // single-object encoding starts with the writer schema's fingerprint.
        assertThat(sha256(underNext)).isNotEqualTo(sha256(underCurrent));
    }

    private static Schema withOneMoreOptionalField(Schema schema) {
        List<Schema.Field> fields = new ArrayList<>();
        schema.getFields().forEach(field -> fields.add(new Schema.Field(field, field.schema())));
        fields.add(new Schema.Field("priority", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), "a field a later version adds", Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /** The value as a writer of {@code next} would have sent it. */
    private static byte[] reencode(byte[] current, Schema next) throws Exception {
        SchemaStore.Cache writers = new SchemaStore.Cache();
        writers.addSchema(CURRENT);
        GenericRecord record = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), next, writers).decode(current);
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), next).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
