package dev.pawkit.sync.analytics;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardDeleted;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The analytics topology in a test driver, with users' keys of this process: events go in sealed
 * under their owners' keys as the projector writes them; the numbers are read as the API reads them.
 */
final class AnalyticsFixture implements AutoCloseable {

    static final Instant DAY1 = Instant.parse("2025-03-01T09:00:00Z");
    static final Instant DAY2 = Instant.parse("2025-03-02T10:00:00Z");
    static final LocalDate SINCE = LocalDate.parse("2025-01-01");
    static final String APPLICATION_ID = "analytics-test";

    private final InMemoryUserKeys keys = new InMemoryUserKeys();
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, EventEnvelope> events;
    private boolean storesClosed;

    AnalyticsFixture(Path stateDir) {
        Properties props = new AnalyticsConfig(KafkaClientSettings.plaintext("unused:9092"), APPLICATION_ID, stateDir,
                "localhost:8080", 6, (short) 1, 0, Duration.ofMillis(100), 16L * 1024 * 1024).streamsProperties();
        driver = new TopologyTestDriver(AnalyticsTopology.build(keys), props);
        events = driver.createInputTopic(PawkitTopics.CARD_EVENTS, new StringSerializer(),
                PawkitSerdes.sealedWith(keys).events().serializer());
    }

    TopologyTestDriver driver() {
        return driver;
    }

    <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /**
     * Closes every store, so that all they hold is in the files of the state directory: Kafka
     * Streams keeps a RocksDB store's committed writes in its memtable (memory) until the memtable
     * fills or the store closes, and the driver's own close deletes the directory. Nothing can be
     * processed afterwards.
     */
    void closeStoresToDisk() {
        for (String store : List.of(AnalyticsStores.CARD_FACTS, AnalyticsStores.USER_STATS, AnalyticsStores.GLOBAL_STATS)) {
            driver.getKeyValueStore(store).close();
        }
        storesClosed = true;
    }

    /** Destroys the user's keys, as erasing the user does. */
    void destroyKeysOf(String user) {
        keys.destroy(user);
    }

    AnalyticsSealing sealing() {
        return new AnalyticsSealing(keys);
    }

    Stats userStats(String user) {
        return StatsQuery.user(driver.getKeyValueStore(AnalyticsStores.USER_STATS), sealing(), user, SINCE, 10);
    }

    Stats globalStats() {
        return StatsQuery.global(driver.getKeyValueStore(AnalyticsStores.GLOBAL_STATS), SINCE, 10);
    }

    /** Appends the event as the projector does: personal content sealed under its owner's key. */
    void append(CardEvent event) {
        events.pipeInput(event.cardId(), new EventEnvelope(event, UUID.randomUUID().toString(), null, null,
                event.ownerId()), event.at());
    }

    static CardCreated created(String user, String card, Instant at, CardFields fields) {
        return new CardCreated(card, user, 1, at, fields);
    }

    static CardUpdated updated(String user, String card, long version, Instant at, CardPatch patch) {
        return new CardUpdated(card, user, version, at, patch);
    }

    static CardDeleted deleted(String user, String card, long version, Instant at) {
        return new CardDeleted(card, user, version, at);
    }

    static CardFields bookmark(String url, String... tags) {
        return new CardFields(CardType.URL, url, "title", null, null, List.of(tags), List.of(), false, null);
    }

    static CardFields note(String... tags) {
        return new CardFields(CardType.MD_NOTE, null, "title", null, null, List.of(tags), List.of(), false, null);
    }

    @Override
    public void close() {
        try {
            driver.close();
        } catch (InvalidStateStoreException e) {
            // Its stores were closed on purpose (closeStoresToDisk): the driver's commit at close
            // finds them closed. It holds no threads; the state directory is the test's to delete.
            if (!storesClosed) {
                throw e;
            }
        }
    }
}
