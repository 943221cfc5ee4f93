package dev.pawkit.sync.analytics;

import dev.pawkit.sync.analytics.counting.CardFacts;
import dev.pawkit.sync.analytics.counting.Stat;
import dev.pawkit.sync.analytics.counting.StatDelta;
import dev.pawkit.sync.analytics.counting.UserCounts;
import dev.pawkit.sync.domain.CardType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serdes of the analytics application's own values: a card's facts and a user's counters (both
 * sealed by {@link AnalyticsSealing} before they are stored) and an event's global counter moves
 * (repartition topic: days and domains only). All are internal to one application, rebuilt from
 * the event log by a reset, and never read by anyone else, so they are a small versioned binary
 * format rather than published Avro schemas; a change of format is rolled out with a reset.
 */
final class AnalyticsSerdes {

    private static final byte FORMAT = 1;

    private AnalyticsSerdes() {
    }

    static Serde<CardFacts> facts() {
        return Serdes.serdeFrom(
                (topic, facts) -> facts == null ? null : write(out -> {
                    out.writeUTF(facts.type().name());
                    out.writeBoolean(facts.domain() != null);
                    if (facts.domain() != null) {
                        out.writeUTF(facts.domain());
                    }
                    out.writeInt(facts.tags().size());
                    for (String tag : facts.tags()) {
                        out.writeUTF(tag);
                    }
                }),
                (topic, bytes) -> bytes == null ? null : read(bytes, in -> {
                    CardType type = CardType.valueOf(in.readUTF());
                    String domain = in.readBoolean() ? in.readUTF() : null;
                    int count = in.readInt();
                    List<String> tags = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        tags.add(in.readUTF());
                    }
                    return new CardFacts(type, domain, tags);
                }));
    }

    static Serde<UserCounts> counts() {
        return Serdes.serdeFrom(
                (topic, counts) -> counts == null ? null : write(out -> {
                    List<Stat> stats = Arrays.stream(Stat.values()).filter(stat -> !counts.of(stat).isEmpty()).toList();
                    out.writeInt(stats.size());
                    for (Stat stat : stats) {
                        out.writeUTF(stat.name());
                        out.writeInt(counts.of(stat).size());
                        for (Map.Entry<String, Long> counter : counts.of(stat).entrySet()) {
                            out.writeUTF(counter.getKey());
                            out.writeLong(counter.getValue());
                        }
                    }
                }),
                (topic, bytes) -> bytes == null ? null : read(bytes, in -> {
                    Map<Stat, Map<String, Long>> counters = new EnumMap<>(Stat.class);
                    int stats = in.readInt();
                    for (int s = 0; s < stats; s++) {
                        Map<String, Long> byKey = counters.computeIfAbsent(Stat.valueOf(in.readUTF()),
                                stat -> new TreeMap<>());
                        int count = in.readInt();
                        for (int i = 0; i < count; i++) {
                            byKey.put(in.readUTF(), in.readLong());
                        }
                    }
                    return UserCounts.of(counters);
                }));
    }

    static Serde<List<StatDelta>> deltas() {
        return Serdes.serdeFrom(
                (topic, deltas) -> deltas == null ? null : write(out -> {
                    out.writeInt(deltas.size());
                    for (StatDelta delta : deltas) {
                        out.writeUTF(delta.stat().name());
                        out.writeUTF(delta.key());
                        out.writeLong(delta.by());
                    }
                }),
                (topic, bytes) -> bytes == null ? null : read(bytes, in -> {
                    int count = in.readInt();
                    List<StatDelta> deltas = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        deltas.add(new StatDelta(Stat.valueOf(in.readUTF()), in.readUTF(), in.readLong()));
                    }
                    return deltas;
                }));
    }

    private interface Writing {
        void to(DataOutputStream out) throws IOException;
    }

    private interface Reading<T> {
        T from(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            writing.to(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reading<T> reading) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("unknown analytics value format " + format);
            }
            return reading.from(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
