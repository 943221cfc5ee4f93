package dev.pawkit.sync.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.analytics.counting.Stat;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardEvent.CardCreated;
import dev.pawkit.sync.domain.CardEvent.CardDeleted;
import dev.pawkit.sync.domain.CardEvent.CardUpdated;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.CardMapper;
import dev.pawkit.sync.schemas.AvroSerdes;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import dev.pawkit.sync.schemas.avro.CardCreatedEvent;
import dev.pawkit.sync.schemas.avro.CardDeletedEvent;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import dev.pawkit.sync.schemas.avro.CardUpdatedEvent;
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
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics topology, one behaviour per test: card event records in, the numbers read from
 * the user and global stores exactly as the API reads them.
 */
class AnalyticsTopologyTest {

    private static final Instant DAY1 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Instant DAY2 = Instant.parse("2025-03-02T10:00:00Z");
    private static final LocalDate SINCE = LocalDate.parse("2025-01-01");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, CardEventRecord> events;

    @BeforeEach
    void start() {
        Properties props = new AnalyticsConfig(KafkaClientSettings.plaintext("unused:9092"), "analytics-test", stateDir, "localhost:8080", 6,
                (short) 1, 0, Duration.ofMillis(100), 16L * 1024 * 1024).streamsProperties();
        driver = new TopologyTestDriver(AnalyticsTopology.build(PawkitSerdes.sealedWith(new InMemoryUserKeys())), props);
        events = driver.createInputTopic(PawkitTopics.CARD_EVENTS, new StringSerializer(),
                AvroSerdes.events().serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void createdCardsCountForTheirOwnerOnTheirDayWithTheirDomainAndTags() {
        append(created("ada", "c1", DAY1, bookmark("https://www.example.com/a", "read", "java")));
        append(created("ada", "c2", DAY1, bookmark("https://example.com/b", "read")));
        append(created("ada", "c3", DAY2, note("ideas")));

        Stats ada = userStats("ada");
        assertThat(ada.days()).containsExactly(new Stats.DayCount("2025-03-01", 2, 0, 0),
                new Stats.DayCount("2025-03-02", 1, 0, 0));
        assertThat(ada.topDomains()).containsExactly(new Stats.Ranked("example.com", 2));
        assertThat(ada.tags()).containsExactly(new Stats.Ranked("read", 2), new Stats.Ranked("ideas", 1),
                new Stats.Ranked("java", 1));
    }

    @Test
    void changedUrlsAndTagsMoveTheCountsAndDeletesTakeThemBack() {
        append(created("ada", "c1", DAY1, bookmark("https://example.com/a", "read")));
        append(created("ada", "c2", DAY1, bookmark("https://example.com/b", "read")));
        append(updated("ada", "c1", 2, DAY2, new CardPatch(Edit.to("https://news.example.org/"), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.to(List.of("later")), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep())));
        append(deleted("ada", "c2", 2, DAY2));

        Stats ada = userStats("ada");
        assertThat(ada.days()).containsExactly(new Stats.DayCount("2025-03-01", 2, 0, 0),
                new Stats.DayCount("2025-03-02", 0, 1, 1));
        assertThat(ada.topDomains()).containsExactly(new Stats.Ranked("news.example.org", 1));
        assertThat(ada.tags()).containsExactly(new Stats.Ranked("later", 1));
    }

    @Test
    void globalNumbersAddUpEveryUsersAndUsersOnlySeeTheirOwn() {
        append(created("ada", "c1", DAY1, bookmark("https://example.com/a", "read")));
        append(created("bob", "c1", DAY1, bookmark("https://example.com/b", "read", "music")));
        append(created("bob", "c2", DAY1, bookmark("https://other.example/", "music")));
        append(deleted("ada", "c1", 2, DAY2));

        assertThat(userStats("ada").topDomains()).isEmpty();
        assertThat(userStats("ada").days()).containsExactly(new Stats.DayCount("2025-03-01", 1, 0, 0),
                new Stats.DayCount("2025-03-02", 0, 0, 1));
        assertThat(userStats("bob").topDomains()).containsExactly(new Stats.Ranked("example.com", 1),
                new Stats.Ranked("other.example", 1));
        Stats global = globalStats();
        assertThat(global.days()).containsExactly(new Stats.DayCount("2025-03-01", 3, 0, 0),
                new Stats.DayCount("2025-03-02", 0, 0, 1));
        assertThat(global.topDomains()).containsExactly(new Stats.Ranked("example.com", 1),
                new Stats.Ranked("other.example", 1));
        assertThat(global.tags()).containsExactly(new Stats.Ranked("music", 2), new Stats.Ranked("read", 1));
    }

    @Test
    void sameCardIdOfTwoUsersAreTwoCards() {
        append(created("ada", "same", DAY1, bookmark("https://a.example", "x")));
        append(created("bob", "same", DAY1, bookmark("https://b.example", "x")));
        append(deleted("bob", "same", 2, DAY1));

        assertThat(userStats("ada").tags()).containsExactly(new Stats.Ranked("x", 1));
        assertThat(globalStats().tags()).containsExactly(new Stats.Ranked("x", 1));
        assertThat(globalStats().topDomains()).containsExactly(new Stats.Ranked("a.example", 1));
    }

    @Test
    void theTopIsTheHighestCountsFirstThenByNameAndDaysStartAtTheAskedDay() {
        append(created("ada", "c1", DAY1, bookmark("https://b.example", "t")));
        append(created("ada", "c2", DAY2, bookmark("https://b.example", "t")));
        append(created("ada", "c3", DAY2, bookmark("https://a.example", "t")));
        append(created("ada", "c4", DAY2, bookmark("https://c.example", "t")));

        KeyValueStore<String, Long> store = driver.getKeyValueStore(AnalyticsStores.USER_STATS);
        Stats top2 = StatsQuery.read(store, StatKeys.userScope("ada"), LocalDate.parse("2025-03-02"), 2);
        assertThat(top2.topDomains()).containsExactly(new Stats.Ranked("b.example", 2),
                new Stats.Ranked("a.example", 1));
        assertThat(top2.days()).containsExactly(new Stats.DayCount("2025-03-02", 3, 0, 0));
    }

    @Test
    void countersAtZeroAreRemovedNotKeptAsZero() {
        append(created("ada", "c1", DAY1, bookmark("https://a.example", "t")));
        append(deleted("ada", "c1", 2, DAY1));

        KeyValueStore<String, Long> store = driver.getKeyValueStore(AnalyticsStores.GLOBAL_STATS);
        assertThat(store.get(StatKeys.counter(StatKeys.GLOBAL_SCOPE, Stat.TAG, "t"))).isNull();
        assertThat(driver.getKeyValueStore(AnalyticsStores.CARD_FACTS).get(StatKeys.card("ada", "c1"))).isNull();
    }

    private Stats userStats(String user) {
        return StatsQuery.read(driver.getKeyValueStore(AnalyticsStores.USER_STATS), StatKeys.userScope(user), SINCE,
                10);
    }

    private Stats globalStats() {
        return StatsQuery.read(driver.getKeyValueStore(AnalyticsStores.GLOBAL_STATS), StatKeys.GLOBAL_SCOPE, SINCE,
                10);
    }

    private void append(CardEvent event) {
        Object payload;
        if (event instanceof CardCreated created) {
            payload = new CardCreatedEvent(CardMapper.toRecord(created.fields()));
        } else if (event instanceof CardUpdated updated) {
            payload = new CardUpdatedEvent(CardMapper.toRecord(updated.changes()));
        } else {
            payload = new CardDeletedEvent();
        }
        events.pipeInput(event.cardId(), CardEventRecord.newBuilder()
                .setCardId(event.cardId())
                .setOwnerId(event.ownerId())
                .setVersion(event.version())
                .setAt(event.at())
                .setCommandId(UUID.randomUUID().toString())
                .setActor(event.ownerId())
                .setEvent(payload)
                .build(), event.at());
    }

    private static CardCreated created(String user, String card, Instant at, CardFields fields) {
        return new CardCreated(card, user, 1, at, fields);
    }

    private static CardUpdated updated(String user, String card, long version, Instant at, CardPatch patch) {
        return new CardUpdated(card, user, version, at, patch);
    }

    private static CardDeleted deleted(String user, String card, long version, Instant at) {
        return new CardDeleted(card, user, version, at);
    }

    private static CardFields bookmark(String url, String... tags) {
        return new CardFields(CardType.URL, url, "title", null, null, List.of(tags), List.of(), false, null);
    }

    private static CardFields note(String... tags) {
        return new CardFields(CardType.MD_NOTE, null, "title", null, null, List.of(tags), List.of(), false, null);
    }
}
