package dev.pawkit.sync.projector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.infra.OwnerPartitioner;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.TopicProvisioner;
import dev.pawkit.sync.schemas.CommandMapper;
import dev.pawkit.sync.schemas.AvroSerdes;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.EmbeddedBroker;
import dev.pawkit.sync.testsupport.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling out a changed projection: views rebuilt beside the live ones, the projector switched to
 * them, the old state dropped. The new projector must serve the same cards, remember the same
 * idempotency keys, and continue the command log exactly where the old one stopped.
 */
class ViewSwitchTest {

    private static final int PARTITIONS = 6;
    private static final String OLD = "pawkit-projector-old";
    private static final String NEW = "pawkit-projector-new";
    private static EmbeddedBroker broker;
    private static KafkaUserKeys keys;
    private static PawkitSerdes serdes;

    private final Map<String, Long> versions = new HashMap<>();
    private KafkaProducer<String, CardCommandRecord> producer;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
        try (Admin admin = admin()) {
            TopicProvisioner.ensure(admin, PawkitTopics.definitions(PARTITIONS, (short) 1), 60_000);
        }
        keys = TestKeys.userKeys(broker.bootstrapServers());
        serdes = PawkitSerdes.sealedWith(keys);
    }

    @AfterAll
    static void stopBroker() {
        keys.close();
        broker.close();
    }

    @Test
    void theProjectorSwitchesToRebuiltViewsKeepingItsKeysAndItsPlaceInTheCommandLog() throws Exception {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), AvroSerdes.commands());
        CardProjector old = start(OLD);
        List<String[]> cards = new ArrayList<>();
        for (String user : List.of("ada", "bob", "cy")) {
            for (int c = 0; c < 3; c++) {
                String card = UUID.randomUUID().toString();
                cards.add(new String[] {user, card});
                send(user, "create-" + card, new CardCommand.CreateCard(card, note("t0")));
                send(user, "edit-1-" + card, new CardCommand.UpdateCard(card, title("t1"), ExpectedVersion.any()));
            }
            send(user, "delete-" + cards.get(cards.size() - 1)[1],
                    new CardCommand.DeleteCard(cards.get(cards.size() - 1)[1], ExpectedVersion.any()));
        }
        awaitVersions(old);

        // 1. New views beside the old ones, from the event log alone.
        ViewRebuild.Options newViews = new ViewRebuild.Options(serdes, KafkaClientSettings.plaintext(broker.bootstrapServers()), OLD, NEW,
                dir.resolve("rebuild"), true, true, Duration.ofSeconds(1));
        assertThat(ViewRebuild.run(newViews, System.out).identical()).isTrue();

        // The old projector goes on deciding until it is stopped: the switch must catch these up.
        String[] late = cards.get(0);
        CardCommandRecord lateEdit = send(late[0], "late-edit", new CardCommand.UpdateCard(late[1], title("late"),
                ExpectedVersion.any()));
        // Without a key: deciding it a second time would append a second event, so a new projector
        // that re-read the command log instead of taking over where the old one stopped would show.
        send(late[0], null, new CardCommand.UpdateCard(late[1], title("unkeyed"), ExpectedVersion.any()));
        awaitVersions(old);
        Map<String, Card> before = new HashMap<>();
        for (String[] card : cards) {
            before.put(card[1], old.reads().card(card[0], card[1]).orElseThrow());
        }
        old.close();
        long eventsBefore = awaitEventCount(versions.values().stream().mapToLong(Long::longValue).sum());

        // 2. Switch, then start the projector under the new application id.
        ViewSwitch.run(newViews, OLD, System.out);
        assertThat(committedCommandOffsets(NEW)).as("the new id takes over the command log where the old stopped")
                .isEqualTo(committedCommandOffsets(OLD)).isNotEmpty();
        CardProjector switched = start(NEW);
        for (String[] card : cards) {
            Card now = awaitCard(switched, card[0], card[1]);
            assertThat(now).as("card %s as the old projector left it", card[1]).isEqualTo(before.get(card[1]));
        }

        // A key the old projector saw is remembered: the retry is a replay, not a second edit.
        CardCommandRecord retry = CardCommandRecord.newBuilder(lateEdit).setCommandId(UUID.randomUUID().toString())
                .build();
        producer.send(new ProducerRecord<>(PawkitTopics.CARD_COMMANDS,
                OwnerPartitioner.partitionFor(late[0], PARTITIONS), late[1], retry)).get();
        assertThat(committedLog().awaitOutcome(retry.getCommandId(), Duration.ofSeconds(60)).replayed()).isTrue();

        // The command log continues where the old projector stopped: a new command applies once.
        send(late[0], "after-switch", new CardCommand.UpdateCard(late[1], title("after"), ExpectedVersion.any()));
        awaitVersions(switched);
        assertThat(awaitEventCount(eventsBefore + 1)).as("no command decided twice, the new one once")
                .isEqualTo(eventsBefore + 1);

        // 3. Drop the old.
        switched.close();
        ViewSwitch.dropOld(KafkaClientSettings.plaintext(broker.bootstrapServers()), OLD, System.out);
        try (Admin admin = admin()) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).noneMatch(t -> t.startsWith(OLD + "-"));
            assertThat(topics).contains(ChangelogSnapshot.topic(NEW, Stores.CARDS),
                    ChangelogSnapshot.topic(NEW, Stores.IDEMPOTENCY));
        }
        producer.close();
    }

    private CardProjector start(String applicationId) {
        CardProjector projector = new CardProjector(new ProjectorConfig(KafkaClientSettings.plaintext(broker.bootstrapServers()), applicationId,
                dir.resolve(applicationId), "127.0.0.1:1", PARTITIONS, (short) 1, 0, Duration.ofMillis(20),
                Duration.ofHours(24), Duration.ofMinutes(1), 16L * 1024 * 1024), serdes);
        projector.start();
        return projector;
    }

    private CardCommandRecord send(String user, String key, CardCommand command) throws Exception {
        CardCommandRecord record = CommandMapper.toRecord(new CommandEnvelope(UUID.randomUUID().toString(),
                user, user, key, key == null ? null : "fingerprint-of-" + key, null, command));
        producer.send(new ProducerRecord<>(PawkitTopics.CARD_COMMANDS, OwnerPartitioner.partitionFor(user, PARTITIONS),
                command.cardId(), record)).get();
        versions.merge(user + "|" + command.cardId(), 1L, Long::sum);
        return record;
    }

    /** Every card at the version its commands lead to (each command here applies one event). */
    private void awaitVersions(CardProjector projector) throws Exception {
        for (Map.Entry<String, Long> expected : versions.entrySet()) {
            String[] userAndCard = expected.getKey().split("\\|");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                Optional<Card> card = read(projector, userAndCard[0], userAndCard[1]);
                if (card.isPresent() && card.get().version() == expected.getValue()) {
                    break;
                }
                assertThat(System.nanoTime()).as("card %s reaches version %d", expected.getKey(), expected.getValue())
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private Card awaitCard(CardProjector projector, String user, String card) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Optional<Card> view = read(projector, user, card);
            if (view.isPresent()) {
                return view.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("card " + card + " never readable");
    }

    private static Optional<Card> read(CardProjector projector, String user, String card) {
        try {
            return projector.reads().card(user, card);
        } catch (ProjectorReads.NotQueryableException e) {
            return Optional.empty();
        }
    }

    /** The committed event count once it reaches {@code expected} (or what it is after a while). */
    private long awaitEventCount(long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long count = countEvents();
        while (count < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            count = countEvents();
        }
        // A little longer, so that an extra (duplicate) event has the time to show too.
        Thread.sleep(500);
        return countEvents();
    }

    private Map<TopicPartition, Long> committedCommandOffsets(String group) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((partition, offset) -> {
                        if (partition.topic().equals(PawkitTopics.CARD_COMMANDS)) {
                            offsets.put(partition, offset.offset());
                        }
                    });
            return offsets;
        }
    }

    private long countEvents() {
        return committedLog().allEvents().size();
    }

    private static CommittedLog committedLog() {
        return new CommittedLog(broker.bootstrapServers());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static CardFields note(String title) {
        return new CardFields(CardType.MD_NOTE, null, title, null, null, List.of(), List.of(), false, Metadata.EMPTY);
    }

    private static CardPatch title(String title) {
        return new CardPatch(Edit.keep(), Edit.to(title), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }
}
