package dev.pawkit.sync.bench;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.MetadataStatus;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.domain.log.StoredCard;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.PawkitSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.apache.kafka.common.serialization.Serde;

/**
 * What one serde costs per record: a value serialized and deserialized again, timed one record at
 * a time into a histogram (nanoseconds). The values are typical of the write path: a url card's
 * create command, its created event and its card view (the store's value and its changelog's),
 * each of one of {@value #USERS} users, so a sealing serde looks up as many keys.
 */
final class SerdeCost {

    static final int USERS = 1_000;
    /** Text in every sample: the serdes that seal must write none of it in clear. */
    static final String MARKER = "heron-marker-2718";

    /** The three kinds of value measured. */
    enum Kind {
        CREATE_COMMAND("create command"), EVENT("created event"), CARD_VIEW("card view");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private SerdeCost() {
    }

    /** The users whose samples these are: a sealing serde's keys for them are made before measuring. */
    static List<String> users() {
        List<String> users = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            users.add("sealing-bench-user-" + u);
        }
        return users;
    }

    /** Serializes and deserializes {@code count} samples of the kind, one at a time, into the histogram; returns the bytes written. */
    static long measure(PawkitSerdes serdes, Kind kind, int count, Histogram nanos) {
        return switch (kind) {
            case CREATE_COMMAND -> measure(serdes.commands(), PawkitTopics.CARD_COMMANDS, samples(SerdeCost::command), count, nanos);
            case EVENT -> measure(serdes.events(), PawkitTopics.CARD_EVENTS, samples(SerdeCost::event), count, nanos);
            case CARD_VIEW -> measure(serdes.cards(), "cards-changelog", samples(SerdeCost::card), count, nanos);
        };
    }

    /** One record of the kind as the serdes write it: what the round trip writes, to be checked for clear text. */
    static byte[] written(PawkitSerdes serdes, Kind kind) {
        String user = users().get(0);
        return switch (kind) {
            case CREATE_COMMAND -> serdes.commands().serializer().serialize(PawkitTopics.CARD_COMMANDS, command(user, 0));
            case EVENT -> serdes.events().serializer().serialize(PawkitTopics.CARD_EVENTS, event(user, 0));
            case CARD_VIEW -> serdes.cards().serializer().serialize("cards-changelog", card(user, 0));
        };
    }

    /** The sample of the kind read back through the serdes: it must equal the value written. */
    static boolean readsBack(PawkitSerdes serdes, Kind kind) {
        String user = users().get(0);
        byte[] bytes = written(serdes, kind);
        return switch (kind) {
            case CREATE_COMMAND -> command(user, 0).equals(serdes.commands().deserializer().deserialize(PawkitTopics.CARD_COMMANDS, bytes));
            case EVENT -> event(user, 0).equals(serdes.events().deserializer().deserialize(PawkitTopics.CARD_EVENTS, bytes));
            case CARD_VIEW -> card(user, 0).equals(serdes.cards().deserializer().deserialize("cards-changelog", bytes));
        };
    }

    private static <T> long measure(Serde<T> serde, String topic, List<T> samples, int count, Histogram nanos) {
        var serializer = serde.serializer();
        var deserializer = serde.deserializer();
        long bytes = 0;
        int unread = 0;
        for (int i = 0; i < count; i++) {
            T value = samples.get(i % samples.size());
            long started = System.nanoTime();
            byte[] written = serializer.serialize(topic, value);
            T read = deserializer.deserialize(topic, written);
            nanos.recordValue(System.nanoTime() - started);
            bytes += written.length;
            unread += read == null ? 1 : 0;
        }
        if (unread > 0) {
            throw new IllegalStateException(unread + " values did not read back");
        }
        return bytes;
    }

    private interface Sample<T> {
        T of(String user, int index);
    }

    private static <T> List<T> samples(Sample<T> sample) {
        List<T> values = new ArrayList<>();
        List<String> users = users();
        for (int u = 0; u < users.size(); u++) {
            values.add(sample.of(users.get(u), u));
        }
        return values;
    }

    private static final Instant AT = Instant.parse("2026-12-07T10:00:00Z");

    /** A url card as users keep them: a page, its title, a line of notes, a few tags, its fetched metadata. */
    static CardFields fields(int index) {
        String url = "https://www.example.com/articles/2026/12/" + MARKER + "-on-keeping-bookmarks-" + index;
        return new CardFields(CardType.URL, url, "On keeping bookmarks for years, " + MARKER,
                "Read this again before the team meeting; the part about tagging is what we need. " + MARKER,
                null, List.of("reading", "work", "tag-" + MARKER), List.of("inbox"), false,
                new Metadata("A long read about keeping bookmarks " + MARKER, "https://www.example.com/og/" + index + ".png",
                        "On keeping bookmarks", "Example", "https://www.example.com/favicon.ico",
                        MetadataStatus.pending(url, 1).fetched(AT)));
    }

    private static CommandEnvelope command(String user, int index) {
        return CommandLog.envelope("cmd-" + index, CommandLog.Origin.user(user, "key-" + index, "web", "POST /api/cards"),
                new CardCommand.CreateCard("card-" + index, fields(index)));
    }

    private static EventEnvelope event(String user, int index) {
        return new EventEnvelope(new CardEvent.CardCreated("card-" + index, user, 1, AT, fields(index)),
                "cmd-" + index, "key-" + index, "web", user);
    }

    private static StoredCard card(String user, int index) {
        return new StoredCard(new Card("card-" + index, user, fields(index), 1, AT, AT, false), index);
    }
}
