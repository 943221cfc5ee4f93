package dev.pawkit.sync.schemas;

import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde of a domain type over the Avro serde of its wire type: the mapping to and from the
 * generated class happens here, once, so that nothing past the serde sees Avro.
 */
final class MappedSerde<D, A> implements Serde<D>, Serializer<D>, Deserializer<D> {

    private final Serde<A> wire;
    private final Function<D, A> toWire;
    private final Function<A, D> fromWire;

    MappedSerde(Serde<A> wire, Function<D, A> toWire, Function<A, D> fromWire) {
        this.wire = wire;
        this.toWire = toWire;
        this.fromWire = fromWire;
    }

    @Override
    public byte[] serialize(String topic, D data) {
        return data == null ? null : wire.serializer().serialize(topic, toWire.apply(data));
    }

    @Override
    public D deserialize(String topic, byte[] data) {
        A value = wire.deserializer().deserialize(topic, data);
        return value == null ? null : fromWire.apply(value);
    }

    @Override
    public Serializer<D> serializer() {
        return this;
    }

    @Override
    public Deserializer<D> deserializer() {
        return this;
    }

    @Override
    public void configure(java.util.Map<String, ?> configs, boolean isKey) {
        // Configured at construction.
    }

    @Override
    public void close() {
        // The wire serde holds no resources.
    }
}
