package dev.pawkit.sync.schemas;

import java.nio.ByteBuffer;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one generated Avro type using Avro's single-object encoding: every value starts
 * with the 64-bit fingerprint of its writer schema, so readers resolve older versions from a
 * {@link SchemaStore} without a registry. Behind Kafka's plain {@link Serde} interface, a
 * registry-backed serde can replace it where one exists.
 */
public final class SingleObjectSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {

    private static final String GENERATED_PACKAGE = "dev.pawkit.sync.schemas.avro.";

    static {
        // Avro only instantiates classes it trusts when decoding; our generated records are trusted,
        // whatever else the process already trusts.
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> type.getName().startsWith(GENERATED_PACKAGE)));
    }

    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final UnaryOperator<T> upcast;

    /**
     * @param olderSchemas earlier published versions of this type that stored data may have been
     *     written with; they are resolved to the current schema when read
     */
    public SingleObjectSerde(Class<T> type, Schema currentSchema, Iterable<Schema> olderSchemas) {
        this(type, currentSchema, olderSchemas, UnaryOperator.identity());
    }

    /** @param upcast applied to every decoded value: gives values of older schemas their current meaning */
    public SingleObjectSerde(Class<T> type, Schema currentSchema, Iterable<Schema> olderSchemas,
            UnaryOperator<T> upcast) {
        this.upcast = upcast;
        SpecificData model = SpecificData.getForClass(type);
        SchemaStore.Cache store = new SchemaStore.Cache();
        olderSchemas.forEach(store::addSchema);
        this.encoder = new BinaryMessageEncoder<>(model, currentSchema);
        this.decoder = new BinaryMessageDecoder<>(model, currentSchema, store);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        try {
            ByteBuffer buffer = encoder.encode(data);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (Exception e) {
            throw new SerializationException("cannot encode " + data.getSchema().getFullName(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return upcast.apply(decoder.decode(data));
        } catch (Exception e) {
            throw new SerializationException("cannot decode a value of topic " + topic, e);
        }
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Configured at construction.
    }

    @Override
    public void close() {
        // Nothing to release: encoder and decoder hold no resources.
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }
}
