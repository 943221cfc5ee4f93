package dev.pawkit.sync.projector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.IdempotencyEntry;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.PageMetadata;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.domain.log.OutcomeEnvelope;
import dev.pawkit.sync.domain.log.RequestFingerprint;
import dev.pawkit.sync.domain.log.StoredCard;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.schemas.CardMapper;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.RecordSealing;
import dev.pawkit.sync.schemas.sealing.ContentSealer;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import dev.pawkit.sync.schemas.CommandMapper;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.schemas.LegacyRequestFingerprint;
import dev.pawkit.sync.schemas.OutcomeMapper;
import dev.pawkit.sync.schemas.PublishedSchemas;
import dev.pawkit.sync.schemas.AvroSerdes;
import dev.pawkit.sync.schemas.avro.AppliedKind;
import dev.pawkit.sync.schemas.avro.AppliedResult;
import dev.pawkit.sync.schemas.avro.CardCommandRecord;
import dev.pawkit.sync.schemas.avro.CardCreatedEvent;
import dev.pawkit.sync.schemas.avro.CardEventRecord;
import dev.pawkit.sync.schemas.avro.CardView;
import dev.pawkit.sync.schemas.avro.CommandOutcomeRecord;
import dev.pawkit.sync.schemas.avro.ErasedResult;
import dev.pawkit.sync.schemas.avro.IdempotencyRecord;
import dev.pawkit.sync.schemas.avro.RejectedResult;
import dev.pawkit.sync.schemas.avro.RejectionReason;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projector topology, one behaviour per test, driven by command records with explicit
 * timestamps: the record time is the projector's only clock, and its purge runs on stream time.
 */
class ProjectorTopologyTest {

    /** Users' keys of this test only: the topology seals with them, the test opens with them. */
    private static final InMemoryUserKeys KEYS = new InMemoryUserKeys();
    private static final RecordSealing SEALING = new RecordSealing(new ContentSealer(KEYS));

    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final String ADA = "user-ada";
    private static final String BOB = "user-bob";
    private static final String CARD = "card-1";
    private static final String CLIENT = "web-client";
    private static final CardFields GROCERIES = note("Groceries");

    @TempDir
    Path stateDir;

    private RunningProjector projector;
    private int commandsSent;
    /** Command id → its offset in the commands topic of the driver it was piped into. */
    private static final Map<String, Long> PIPED_AT = new java.util.HashMap<>();

    @BeforeEach
    void startProjector() {
        projector = new RunningProjector(stateDir.resolve("projector"), T0);
    }

    @AfterEach
    void stopProjector() {
        projector.close();
    }

    // ---- create ----

    @Test
    void aCreateEmitsOneCardCreatedEventAnswersCreatedAndStoresTheCard() {
        CardCommandRecord create = create(ADA, CARD, "key-1", GROCERIES);

        projector.pipe(create, T0);

        CardView card = cardView(ADA, CARD, GROCERIES, 1, T0, T0, false, 1);
        CardEventRecord created = CardEventRecord.newBuilder()
                .setCardId(CARD).setOwnerId(ADA).setVersion(1).setAt(T0)
                .setCommandId(create.getCommandId()).setIdempotencyKey("key-1").setClientId(CLIENT).setActor(ADA)
                .setEvent(new CardCreatedEvent(CardMapper.toRecord(GROCERIES)))
                .build();
        assertThat(projector.events.readKeyValuesToList()).containsExactly(KeyValue.pair(CARD, created));
        assertThat(projector.results.readKeyValuesToList()).containsExactly(
                KeyValue.pair(create.getCommandId(), applied(create, AppliedKind.CREATED, card)));
        assertThat(projector.card(ADA, CARD)).isEqualTo(card);
    }

    @Test
    void aCreateWithoutKeyIsNotIdempotentSoItsRepeatFindsTheCardExisting() {
        CardCommandRecord create = create(ADA, CARD, null, GROCERIES);
        projector.pipe(create, T0);
        projector.drainOutputs();

        CardCommandRecord again = retryOf(create);
        projector.pipe(again, T0.plusSeconds(1));

        assertThat(projector.nextAnswerTo(again)).isEqualTo(rejected(again, RejectionReason.CARD_EXISTS, "",
                cardView(ADA, CARD, GROCERIES, 1, T0, T0, false, 0)));
        assertThat(projector.events.isEmpty()).isTrue();
    }

    @Test
    void aCommandOutsideTheCardRulesFromAnyProducerIsRejectedAndThePartitionGoesOn() {
        // Not from the API, whose reader would have answered 400: straight onto the command topic.
        CardCommandRecord tooLong = create(ADA, CARD, "key-1", note("t".repeat(1001)));
        CardCommandRecord next = create(ADA, "card-2", "key-2", GROCERIES);

        projector.pipe(tooLong, T0);
        projector.pipe(next, T0.plusSeconds(1));

        assertThat(projector.nextAnswerTo(tooLong)).isEqualTo(
                rejected(tooLong, RejectionReason.INVALID_CARD, "title is limited to 1000 characters", null));
        assertThat(projector.nextAnswerTo(next).getResult()).isInstanceOf(AppliedResult.class);
        assertThat(projector.card(ADA, CARD)).isNull();
        assertThat(projector.events.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("card-2");
    }

    // ---- idempotency ----

    @Test
    void theSameRequestAgainIsAnsweredWithTheFirstOutcomeAndNoSecondEvent() {
        CardCommandRecord first = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(first, T0);
        CommandOutcomeRecord firstAnswer = projector.nextAnswerTo(first);
        projector.drainOutputs();

        CardCommandRecord retry = retryOf(first);
        projector.pipe(retry, T0.plusSeconds(30));

        CommandOutcomeRecord replay = projector.nextAnswerTo(retry);
        assertThat(replay).isEqualTo(CommandOutcomeRecord.newBuilder(firstAnswer)
                .setCommandId(retry.getCommandId()).setReplayed(true).setCommandOffset(offsetOf(retry)).build());
        assertThat(projector.events.isEmpty()).isTrue();
        // The retry's own command id answers too (what GET /api/commands/{id} reads).
        assertThat(projector.outcome(ADA, retry.getCommandId())).isEqualTo(replay);
    }

    @Test
    void aKeyWithoutFingerprintIsDecidedAndItsRepeatReplayedInsteadOfStallingThePartition() {
        CardCommandRecord first = CardCommandRecord.newBuilder(create(ADA, CARD, "key-1", GROCERIES))
                .setFingerprint(null).build();
        projector.pipe(first, T0);
        CommandOutcomeRecord firstAnswer = projector.nextAnswerTo(first);
        assertThat(firstAnswer.getResult()).isInstanceOf(AppliedResult.class);
        projector.drainOutputs();

        CardCommandRecord retry = retryOf(first);
        projector.pipe(retry, T0.plusSeconds(1));

        assertThat(projector.nextAnswerTo(retry).getReplayed()).isTrue();
        assertThat(projector.events.isEmpty()).isTrue();
    }

    @Test
    void aRetryOfAFirstAttemptWrittenUnderTheOldestSchemaIsAReplay() {
        // The first attempt, as the API wrote it before the upgrade: under the oldest published
        // command schema, fingerprinted from the command's meaning.
        CardCommand.CreateCard command = new CardCommand.CreateCard(CARD, GROCERIES);
        String fingerprint = RequestFingerprint.of("POST /api/cards", command);
        CardCommandRecord first = CommandMapper.toRecord(
                new CommandEnvelope(nextCommandId(), ADA, ADA, "key-1", fingerprint, CLIENT, command));
        projector.pipeBytes(first, underPublishedSchema(1, first), T0);
        CommandOutcomeRecord firstAnswer = projector.nextAnswerTo(first);
        assertThat(firstAnswer.getResult()).isInstanceOf(AppliedResult.class);
        projector.drainOutputs();

        // The retry, after the upgrade: the current schema, the fingerprint computed again the same way.
        CardCommandRecord retry = CommandMapper.toRecord(new CommandEnvelope(nextCommandId(), ADA, ADA, "key-1",
                RequestFingerprint.of("POST /api/cards", new CardCommand.CreateCard(CARD, GROCERIES)), CLIENT,
                command));
        projector.pipe(retry, T0.plusSeconds(30));

        assertThat(projector.nextAnswerTo(retry)).isEqualTo(CommandOutcomeRecord.newBuilder(firstAnswer)
                .setCommandId(retry.getCommandId()).setReplayed(true).setCommandOffset(offsetOf(retry)).build());
        assertThat(projector.events.isEmpty()).isTrue();
    }

    @Test
    void aRetrySpanningTheDeployThatChangedTheFingerprintIsAReplayInBothDirections() {
        CardCommand.CreateCard command = new CardCommand.CreateCard(CARD, GROCERIES);
        CommandLog.Origin origin = CommandLog.Origin.user(ADA, "key-1", CLIENT, "POST /api/cards");
        // The first attempt as the version before v5 wrote it: schema v4, the fingerprint of its wire bytes.
        CardCommandRecord beforeTheDeploy = CommandMapper.toRecord(new CommandEnvelope(nextCommandId(), ADA, ADA,
                "key-1", LegacyRequestFingerprint.of("POST /api/cards", command), CLIENT, command));
        projector.pipeBytes(beforeTheDeploy, underPublishedSchema(4, beforeTheDeploy), T0);
        CommandOutcomeRecord firstAnswer = projector.nextAnswerTo(beforeTheDeploy);
        assertThat(firstAnswer.getResult()).isInstanceOf(AppliedResult.class);
        projector.drainOutputs();

        // The retry as this version writes it (both fingerprints): the first answer again, nothing applied.
        CardCommandRecord afterTheDeploy = CommandMapper.toRecord(CommandLog.envelope(nextCommandId(), origin, command));
        projector.pipe(afterTheDeploy, T0.plusSeconds(30));
        assertThat(projector.nextAnswerTo(afterTheDeploy)).isEqualTo(CommandOutcomeRecord.newBuilder(firstAnswer)
                .setCommandId(afterTheDeploy.getCommandId()).setReplayed(true).setCommandOffset(offsetOf(afterTheDeploy))
                .build());

        // Another key, first sent by this version, retried by an instance not upgraded yet.
        CommandLog.Origin other = CommandLog.Origin.user(ADA, "key-2", CLIENT, "POST /api/cards");
        CardCommand.CreateCard second = new CardCommand.CreateCard("card-2", GROCERIES);
        CardCommandRecord byNewVersion = CommandMapper.toRecord(CommandLog.envelope(nextCommandId(), other, second));
        projector.pipe(byNewVersion, T0.plusSeconds(40));
        CommandOutcomeRecord secondAnswer = projector.nextAnswerTo(byNewVersion);
        CardCommandRecord byOldVersion = CommandMapper.toRecord(new CommandEnvelope(nextCommandId(), ADA, ADA, "key-2",
                LegacyRequestFingerprint.of("POST /api/cards", second), CLIENT, second));
        projector.drainOutputs();
        projector.pipeBytes(byOldVersion, underPublishedSchema(4, byOldVersion), T0.plusSeconds(50));
        assertThat(projector.nextAnswerTo(byOldVersion)).isEqualTo(CommandOutcomeRecord.newBuilder(secondAnswer)
                .setCommandId(byOldVersion.getCommandId()).setReplayed(true).setCommandOffset(offsetOf(byOldVersion))
                .build());
        assertThat(projector.events.isEmpty()).as("no retry applied again").isTrue();
    }

    @Test
    void theSameKeyForAnotherRequestIsRefusedAndChangesNothing() {
        CardCommandRecord create = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(create, T0);
        projector.drainOutputs();

        CardCommandRecord otherRequest = update(ADA, CARD, "key-1", titleTo("Weekly shop"), ExpectedVersion.any());
        projector.pipe(otherRequest, T0.plusSeconds(30));

        assertThat(projector.nextAnswerTo(otherRequest))
                .isEqualTo(rejected(otherRequest, RejectionReason.IDEMPOTENCY_KEY_REUSED, "key-1", null));
        assertThat(projector.events.isEmpty()).isTrue();
        assertThat(projector.card(ADA, CARD)).isEqualTo(cardView(ADA, CARD, GROCERIES, 1, T0, T0, false, 1));
        // The key still names the first request, so a genuine retry of it keeps replaying.
        assertThat(projector.idempotencyEntry(ADA, "key-1"))
                .isEqualTo(new IdempotencyRecord(create.getFingerprint(), create.getCommandId(), T0, null));
    }

    @Test
    void theSameKeyFromAnotherUserIsAnotherRequest() {
        CardCommandRecord adasCreate = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(adasCreate, T0);
        projector.drainOutputs();

        // Same card id, key and request body as Ada's: only the user differs.
        CardCommandRecord bobsCreate = create(BOB, CARD, "key-1", GROCERIES);
        projector.pipe(bobsCreate, T0.plusSeconds(1));

        CardView bobsCard = cardView(BOB, CARD, GROCERIES, 1, T0.plusSeconds(1), T0.plusSeconds(1), false, 1);
        assertThat(projector.nextAnswerTo(bobsCreate)).isEqualTo(applied(bobsCreate, AppliedKind.CREATED, bobsCard));
        assertThat(projector.events.readValuesToList()).extracting(CardEventRecord::getOwnerId, CardEventRecord::getVersion)
                .containsExactly(tuple(BOB, 1L));
        assertThat(projector.card(BOB, CARD)).isEqualTo(bobsCard);
        assertThat(projector.card(ADA, CARD)).isEqualTo(cardView(ADA, CARD, GROCERIES, 1, T0, T0, false, 1));
    }

    @Test
    void theKeyIsCheckedBeforeTheVersionSoARetriedUpdateReplaysItsSuccessAfterTheCardMovedOn() {
        projector.pipe(create(ADA, CARD, "key-1", GROCERIES), T0);
        projector.drainOutputs();
        CardCommandRecord firstUpdate = update(ADA, CARD, "key-2", titleTo("Weekly shop"), new ExpectedVersion.InBody(1));
        projector.pipe(firstUpdate, T0.plusSeconds(10));
        CommandOutcomeRecord firstAnswer = projector.nextAnswerTo(firstUpdate);
        projector.pipe(update(ADA, CARD, "key-3", titleTo("Monthly shop"), new ExpectedVersion.InBody(2)),
                T0.plusSeconds(20));
        projector.drainOutputs();

        // Its version 1 is stale by now; replaying the key must not turn the success into a conflict.
        CardCommandRecord retry = retryOf(firstUpdate);
        projector.pipe(retry, T0.plusSeconds(30));

        CommandOutcomeRecord replay = projector.nextAnswerTo(retry);
        assertThat(replay.getReplayed()).isTrue();
        assertThat(replay.getResult()).isEqualTo(firstAnswer.getResult()).isEqualTo(new AppliedResult(
                AppliedKind.UPDATED, cardView(ADA, CARD, note("Weekly shop"), 2, T0, T0.plusSeconds(10), false, 2)));
        assertThat(projector.events.isEmpty()).isTrue();
        assertThat(projector.card(ADA, CARD).getVersion()).isEqualTo(3);
    }

    @Test
    void aReplayedRejectionIsTheOriginalRejection() {
        projector.pipe(create(ADA, CARD, "key-1", GROCERIES), T0);
        projector.drainOutputs();
        CardCommandRecord stale = update(ADA, CARD, "key-2", titleTo("Weekly shop"), new ExpectedVersion.InBody(7));
        projector.pipe(stale, T0.plusSeconds(10));
        CommandOutcomeRecord firstAnswer = projector.nextAnswerTo(stale);
        projector.pipe(update(ADA, CARD, "key-3", titleTo("Monthly shop"), ExpectedVersion.any()), T0.plusSeconds(20));
        projector.drainOutputs();

        CardCommandRecord retry = retryOf(stale);
        projector.pipe(retry, T0.plusSeconds(30));

        // The original 409 names the card as it was then (version 1), not the card as it is now.
        assertThat(projector.nextAnswerTo(retry)).isEqualTo(rejected(retry, RejectionReason.VERSION_CONFLICT, "",
                cardView(ADA, CARD, GROCERIES, 1, T0, T0, false, 0), true));
        assertThat(firstAnswer.getResult()).isEqualTo(projector.outcome(ADA, retry.getCommandId()).getResult());
    }

    // ---- versions ----

    @Test
    void aStaleBodyVersionIsAVersionConflictWithTheCurrentCardAndNoEvent() {
        projector.pipe(create(ADA, CARD, "key-1", GROCERIES), T0);
        projector.pipe(update(ADA, CARD, "key-2", pinnedTo(true), ExpectedVersion.any()), T0.plusSeconds(10));
        projector.drainOutputs();

        CardCommandRecord stale = update(ADA, CARD, "key-3", titleTo("Weekly shop"), new ExpectedVersion.InBody(1));
        projector.pipe(stale, T0.plusSeconds(20));

        CardFields pinned = pinnedNote("Groceries");
        // A card inside a rejection carries no feed position (changeSeq 0): only its state matters there.
        assertThat(projector.nextAnswerTo(stale)).isEqualTo(rejected(stale, RejectionReason.VERSION_CONFLICT, "",
                cardView(ADA, CARD, pinned, 2, T0, T0.plusSeconds(10), false, 0)));
        assertThat(projector.events.isEmpty()).isTrue();
        assertThat(projector.card(ADA, CARD)).isEqualTo(cardView(ADA, CARD, pinned, 2, T0, T0.plusSeconds(10), false, 2));
    }

    @Test
    void aMismatchedIfMatchFailsItsPrecondition() {
        projector.pipe(create(ADA, CARD, "key-1", GROCERIES), T0);
        projector.drainOutputs();

        CardCommandRecord update = update(ADA, CARD, "key-2", titleTo("Weekly shop"), new ExpectedVersion.IfMatch(2));
        projector.pipe(update, T0.plusSeconds(10));

        assertThat(projector.nextAnswerTo(update)).isEqualTo(rejected(update, RejectionReason.PRECONDITION_FAILED, "",
                cardView(ADA, CARD, GROCERIES, 1, T0, T0, false, 0)));
        assertThat(projector.events.isEmpty()).isTrue();
    }

    @Test
    void anUpdateBasedOnTheVersionBeforeTheEnrichersMetadataIsNoConflictUnlessItSetsAFieldTheEnricherSet() {
        CardFields bookmark = new CardFields(CardType.URL, "https://example.com/cats", "Cats", null, null, List.of(),
                List.of(), false, Metadata.EMPTY);
        projector.pipe(create(ADA, CARD, "key-1", bookmark), T0);
        // The enricher's answer to the fetch the creation asked for: version 2, by the system.
        CardCommandRecord metadata = CardCommandRecord.newBuilder(command(ADA, "fetch-1", "metadata",
                new CardCommand.ApplyMetadata(CARD, 1, new PageMetadata("Cats!", "All about cats", null, null, null),
                        null, T0.plusSeconds(1)))).setActor("pawkit-enricher").build();
        projector.pipe(metadata, T0.plusSeconds(1));
        projector.drainOutputs();
        assertThat(projector.card(ADA, CARD).getVersion()).isEqualTo(2);

        CardCommandRecord description = update(ADA, CARD, "key-2", new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.to("Mine"), Edit.keep()),
                new ExpectedVersion.IfMatch(1));
        projector.pipe(description, T0.plusSeconds(2));
        assertThat(reasonOf(projector.nextAnswerTo(description))).isEqualTo(RejectionReason.PRECONDITION_FAILED);

        CardCommandRecord title = update(ADA, CARD, "key-3", titleTo("My cats"), new ExpectedVersion.IfMatch(1));
        projector.pipe(title, T0.plusSeconds(3));
        assertThat(projector.nextAnswerTo(title).getResult()).isInstanceOf(AppliedResult.class);
        assertThat(projector.events.readValue()).isNotNull();
        assertThat(projector.card(ADA, CARD).getVersion()).isEqualTo(3);
        assertThat(projector.card(ADA, CARD).getFields().getTitle()).isEqualTo("My cats");

        // The owner changed the card since version 1 now: the same stale version is a conflict again.
        CardCommandRecord again = update(ADA, CARD, "key-4", pinnedTo(true), new ExpectedVersion.IfMatch(1));
        projector.pipe(again, T0.plusSeconds(4));
        assertThat(reasonOf(projector.nextAnswerTo(again))).isEqualTo(RejectionReason.PRECONDITION_FAILED);
    }

    private static RejectionReason reasonOf(CommandOutcomeRecord answer) {
        assertThat(answer.getResult()).isInstanceOf(RejectedResult.class);
        return ((RejectedResult) answer.getResult()).getReason();
    }

    @Test
    void anUpdateAfterADeleteIsGone() {
        projector.pipe(create(ADA, CARD, "key-1", GROCERIES), T0);
        projector.pipe(delete(ADA, CARD, "key-2", ExpectedVersion.any()), T0.plusSeconds(10));
        projector.drainOutputs();

        CardCommandRecord update = update(ADA, CARD, "key-3", titleTo("Weekly shop"), new ExpectedVersion.InBody(2));
        projector.pipe(update, T0.plusSeconds(20));

        assertThat(projector.nextAnswerTo(update)).isEqualTo(rejected(update, RejectionReason.GONE, "",
                cardView(ADA, CARD, GROCERIES, 2, T0, T0.plusSeconds(10), true, 0)));
        assertThat(projector.events.isEmpty()).isTrue();
    }

    @Test
    void anUpdateThatChangesNothingAnswersTheCardAsItIsWithoutAnEvent() {
        projector.pipe(create(ADA, CARD, "key-1", GROCERIES), T0);
        projector.drainOutputs();

        CardCommandRecord sameTitle = update(ADA, CARD, "key-2", titleTo("Groceries"), new ExpectedVersion.InBody(1));
        projector.pipe(sameTitle, T0.plusSeconds(10));

        // Version, updatedAt and feed position all stay: nothing happened to the card.
        CardView unchanged = cardView(ADA, CARD, GROCERIES, 1, T0, T0, false, 1);
        assertThat(projector.nextAnswerTo(sameTitle)).isEqualTo(applied(sameTitle, AppliedKind.UPDATED, unchanged));
        assertThat(projector.events.isEmpty()).isTrue();
        assertThat(projector.card(ADA, CARD)).isEqualTo(unchanged);
    }

    // ---- change feed ----

    @Test
    void theChangeFeedHoldsEachCardOnceAtItsLatestChange() {
        projector.pipe(create(ADA, "card-a", "key-1", GROCERIES), T0);
        projector.pipe(create(ADA, "card-b", "key-2", note("Books")), T0.plusSeconds(1));
        projector.pipe(create(BOB, "card-x", "key-1", note("Tools")), T0.plusSeconds(2));
        projector.pipe(update(ADA, "card-a", "key-3", pinnedTo(true), ExpectedVersion.any()), T0.plusSeconds(3));

        // card-a left its first place (1) for the head of Ada's feed (3); Bob's feed is his own.
        assertThat(projector.<String>contentsOf(Stores.CHANGES)).containsExactly(
                entry(StoreKeys.changeSeq(ADA, 2), "card-b"),
                entry(StoreKeys.changeSeq(ADA, 3), "card-a"),
                entry(StoreKeys.changeSeq(BOB, 1), "card-x"));
        assertThat(projector.card(ADA, "card-a").getChangeSeq()).isEqualTo(3);
        assertThat(projector.<Long>contentsOf(Stores.USER_SEQUENCE)).containsOnly(entry(ADA, 3L), entry(BOB, 1L));
    }

    @Test
    void aDeleteMovesTheTombstoneToTheHeadOfTheFeed() {
        projector.pipe(create(ADA, "card-a", "key-1", GROCERIES), T0);
        projector.pipe(create(ADA, "card-b", "key-2", note("Books")), T0.plusSeconds(1));
        projector.pipe(delete(ADA, "card-a", "key-3", new ExpectedVersion.IfMatch(1)), T0.plusSeconds(2));

        // Delta sync must see deletions, so the tombstone is a change like any other.
        assertThat(projector.<String>contentsOf(Stores.CHANGES)).containsExactly(
                entry(StoreKeys.changeSeq(ADA, 2), "card-b"),
                entry(StoreKeys.changeSeq(ADA, 3), "card-a"));
        assertThat(projector.card(ADA, "card-a"))
                .isEqualTo(cardView(ADA, "card-a", GROCERIES, 2, T0, T0.plusSeconds(2), true, 3));
    }

    // ---- expiry ----

    @Test
    void aKeyAndItsOutcomeAreKeptUntilTheTtlHasPassed() {
        CardCommandRecord create = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(create, T0);

        advanceStreamTimeTo(T0.plus(TTL).minusMillis(1));

        assertThat(projector.idempotencyEntry(ADA, "key-1"))
                .isEqualTo(new IdempotencyRecord(create.getFingerprint(), create.getCommandId(), T0, null));
        assertThat(projector.outcome(ADA, create.getCommandId()))
                .isEqualTo(applied(create, AppliedKind.CREATED, cardView(ADA, CARD, GROCERIES, 1, T0, T0, false, 1)));
    }

    @Test
    void afterTheTtlOfStreamTimeTheKeyAndItsOutcomeArePurged() {
        CardCommandRecord create = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(create, T0);

        advanceStreamTimeTo(T0.plus(TTL));

        assertThat(projector.idempotencyEntry(ADA, "key-1")).isNull();
        assertThat(projector.outcome(ADA, create.getCommandId())).isNull();
        // The card itself is not idempotency state: it stays.
        assertThat(projector.card(ADA, CARD).getVersion()).isEqualTo(1);
    }

    @Test
    void afterExpiryTheSameRequestIsDecidedAgainSoARetriedCreateFindsItsCardExisting() {
        CardCommandRecord create = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(create, T0);
        advanceStreamTimeTo(T0.plus(TTL));
        projector.drainOutputs();

        CardCommandRecord lateRetry = retryOf(create);
        Instant retriedAt = T0.plus(TTL).plusSeconds(1);
        projector.pipe(lateRetry, retriedAt);

        // The key's memory is gone, so the retry is a new request and is decided on today's state:
        // the card it created a day ago exists, hence CARD_EXISTS (409), not the first 201 replayed.
        // That is the documented 24 h limit of idempotency, not a second effect: no event follows.
        assertThat(projector.nextAnswerTo(lateRetry)).isEqualTo(rejected(lateRetry, RejectionReason.CARD_EXISTS, "",
                cardView(ADA, CARD, GROCERIES, 1, T0, T0, false, 0)));
        assertThat(projector.events.isEmpty()).isTrue();
        // The key now names the late request, for another 24 h.
        assertThat(projector.idempotencyEntry(ADA, "key-1"))
                .isEqualTo(new IdempotencyRecord(create.getFingerprint(), lateRetry.getCommandId(), retriedAt, null));
    }

    @Test
    void anExpiredKeyCountsAsNewEvenBeforeThePurgeHasRemovedIt() {
        CardCommandRecord create = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(create, T0);
        projector.drainOutputs();

        // No record between: stream time is still T0, so no purge has seen this key expire.
        CardCommandRecord otherRequest = update(ADA, CARD, "key-1", titleTo("Weekly shop"), ExpectedVersion.any());
        projector.pipe(otherRequest, T0.plus(TTL));

        CardView updated = cardView(ADA, CARD, note("Weekly shop"), 2, T0, T0.plus(TTL), false, 2);
        assertThat(projector.nextAnswerTo(otherRequest)).isEqualTo(applied(otherRequest, AppliedKind.UPDATED, updated));
    }

    @Test
    void aKeyReusedAtItsExpiryKeepsItsNewEntryWhenTheOldOneIsPurged() {
        CardCommandRecord create = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(create, T0);

        // Decided before the purge that runs at the same stream time deletes the old entry's index line.
        CardCommandRecord reuse = update(ADA, CARD, "key-1", titleTo("Weekly shop"), ExpectedVersion.any());
        projector.pipe(reuse, T0.plus(TTL));

        assertThat(projector.idempotencyEntry(ADA, "key-1"))
                .isEqualTo(new IdempotencyRecord(reuse.getFingerprint(), reuse.getCommandId(), T0.plus(TTL), null));
        assertThat(projector.outcome(ADA, reuse.getCommandId()))
                .extracting(CommandOutcomeRecord::getCommandId).isEqualTo(reuse.getCommandId());
        assertThat(projector.outcome(ADA, create.getCommandId())).isNull();
    }

    @Test
    void thePurgeEmptiesTheExpiryIndexSoItStaysBounded() {
        CardCommandRecord create = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(create, T0);
        CardCommandRecord update = update(ADA, CARD, "key-2", pinnedTo(true), ExpectedVersion.any());
        projector.pipe(update, T0.plus(Duration.ofHours(1)));
        assertThat(projector.<String>contentsOf(Stores.EXPIRY_INDEX)).hasSize(4);

        CardCommandRecord later = advanceStreamTimeTo(T0.plus(TTL).plus(Duration.ofHours(1)));

        // Only the line of the command that advanced the time is left; it is due a day after it.
        assertThat(projector.<String>contentsOf(Stores.EXPIRY_INDEX).keySet()).containsExactly(
                StoreKeys.expiry(T0.plus(TTL).plus(TTL).plus(Duration.ofHours(1)).toEpochMilli(), Stores.OUTCOMES,
                        StoreKeys.scoped(BOB, later.getCommandId())));
        assertThat(projector.<IdempotencyEntry>contentsOf(Stores.IDEMPOTENCY)).isEmpty();
        assertThat(projector.<OutcomeEnvelope>contentsOf(Stores.OUTCOMES).keySet())
                .containsExactly(StoreKeys.scoped(BOB, later.getCommandId()));
    }

    // ---- determinism ----

    @Test
    void theSameCommandLogGivesByteIdenticalOutputsOnceOpenedAndEqualViews() {
        CardCommandRecord adaCreates = create(ADA, CARD, "key-1", GROCERIES);
        CardCommandRecord adaUpdates = update(ADA, CARD, "key-2", titleTo("Weekly shop"), new ExpectedVersion.InBody(1));
        List<TimedCommand> log = List.of(
                new TimedCommand(adaCreates, T0),
                new TimedCommand(create(BOB, CARD, "key-1", GROCERIES), T0.plusSeconds(1)),
                new TimedCommand(adaUpdates, T0.plusSeconds(2)),
                new TimedCommand(retryOf(adaUpdates), T0.plusSeconds(3)),
                new TimedCommand(update(ADA, CARD, "key-2", pinnedTo(true), ExpectedVersion.any()), T0.plusSeconds(4)),
                new TimedCommand(update(ADA, CARD, null, pinnedTo(true), new ExpectedVersion.InBody(1)), T0.plusSeconds(5)),
                new TimedCommand(delete(BOB, CARD, "key-2", new ExpectedVersion.IfMatch(1)), T0.plusSeconds(6)),
                new TimedCommand(update(ADA, CARD, "key-3", pinnedTo(true), ExpectedVersion.any()), T0.plus(TTL)),
                new TimedCommand(retryOf(adaCreates), T0.plus(TTL).plusSeconds(1)));

        // Two fresh projectors whose wall clocks are years apart: only record time may matter.
        RunningProjector first = new RunningProjector(stateDir.resolve("first"), Instant.parse("2020-01-01T00:00:00Z"));
        RunningProjector second = new RunningProjector(stateDir.resolve("second"), Instant.parse("2031-07-15T00:00:00Z"));
        try {
            log.forEach(timed -> first.pipe(timed.command(), timed.at()));
            log.forEach(timed -> second.pipe(timed.command(), timed.at()));

            List<String> firstEvents = first.serializedOutput(PawkitTopics.CARD_EVENTS);
            assertThat(firstEvents).hasSize(5);
            assertThat(second.serializedOutput(PawkitTopics.CARD_EVENTS)).isEqualTo(firstEvents);
            List<String> firstResults = first.serializedOutput(PawkitTopics.COMMAND_RESULTS);
            assertThat(firstResults).hasSize(log.size());
            assertThat(second.serializedOutput(PawkitTopics.COMMAND_RESULTS)).isEqualTo(firstResults);
            Map<String, StoredCard> firstCards = first.contentsOf(Stores.CARDS);
            assertThat(firstCards).hasSize(2);
            assertThat(second.<StoredCard>contentsOf(Stores.CARDS)).isEqualTo(firstCards);
            Map<String, EventEnvelope> firstHistory = first.contentsOf(Stores.HISTORY);
            assertThat(firstHistory).hasSize(5);
            assertThat(second.<EventEnvelope>contentsOf(Stores.HISTORY)).isEqualTo(firstHistory);
        } finally {
            first.close();
            second.close();
        }
    }

    // ---- commands ----

    private record TimedCommand(CardCommandRecord command, Instant at) {
    }

    // ---- erasure ----

    @Test
    void erasingAUserRemovesEveryEntryOfTheirsTombstonesTheirKeysAndLeavesOtherUsersAlone() {
        projector.pipe(create(ADA, CARD, "key-1", GROCERIES), T0);
        projector.pipe(update(ADA, CARD, "key-2", titleTo("Shopping"), ExpectedVersion.any()), T0.plusSeconds(1));
        projector.pipe(create(ADA, "card-2", "key-3", note("Second")), T0.plusSeconds(2));
        projector.pipe(create(BOB, CARD, "key-1", GROCERIES), T0.plusSeconds(3));
        projector.drainOutputs();
        Map<String, Map<String, Object>> bobsBefore = entriesOf(BOB);
        String adasKey = KEYS.current(ADA).keyId();

        CardCommandRecord erase = erase(ADA);
        projector.pipe(erase, T0.plusSeconds(4));

        CommandOutcomeRecord answer = projector.nextAnswerTo(erase);
        assertThat(answer.getResult()).isEqualTo(new ErasedResult(2L, 1));
        assertThat(projector.events.isEmpty()).isTrue();
        // Nothing of Ada's is left in any store but the erasure's own answer (no content in it).
        Map<String, Map<String, Object>> adasAfter = entriesOf(ADA);
        assertThat(adasAfter.get(Stores.OUTCOMES)).containsOnlyKeys(StoreKeys.scoped(ADA, erase.getCommandId()));
        adasAfter.remove(Stores.OUTCOMES);
        assertThat(adasAfter.values()).allSatisfy(entries -> assertThat(entries).isEmpty());
        assertThat(projector.contentsOf(Stores.USER_SEQUENCE)).containsOnlyKeys(BOB);
        // Her key's tombstone, in the same transaction as the removal.
        assertThat(projector.userKeys.readKeyValuesToList())
                .containsExactly(KeyValue.pair(ADA + "/" + adasKey, null));
        assertThat(entriesOf(BOB)).isEqualTo(bobsBefore);
    }

    @Test
    void afterErasureTheUsersWritesStartFromNothingAndTheirOldKeysReplayNothing() {
        CardCommandRecord first = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(first, T0);
        projector.pipe(erase(ADA), T0.plusSeconds(1));
        projector.drainOutputs();
        KEYS.destroy(ADA); // what every process does on reading the tombstones

        // The same request again, same key: no replay of the erased answer, a new card at version 1.
        CardCommandRecord again = retryOf(first);
        projector.pipe(again, T0.plusSeconds(2));
        CommandOutcomeRecord answer = projector.nextAnswerTo(again);
        assertThat(answer.getReplayed()).isFalse();
        assertThat(((AppliedResult) answer.getResult()).getKind()).isEqualTo(AppliedKind.CREATED);
        assertThat(projector.card(ADA, CARD).getVersion()).isEqualTo(1);
        assertThat(projector.card(ADA, CARD).getChangeSeq()).isEqualTo(1);
        // An update of a card she had before the erasure finds nothing.
        CardCommandRecord stale = update(ADA, "card-9", "key-9", titleTo("x"), ExpectedVersion.any());
        projector.pipe(stale, T0.plusSeconds(3));
        assertThat(reasonOf(projector.nextAnswerTo(stale))).isEqualTo(RejectionReason.NOT_FOUND);
    }

    @Test
    void erasingAUserTwiceOrOneWhoNeverWroteIsFine() {
        CardCommandRecord nobody = erase("user-nobody");
        projector.pipe(nobody, T0);
        assertThat(projector.nextAnswerTo(nobody).getResult()).isEqualTo(new ErasedResult(0L, 0));

        projector.pipe(create(ADA, CARD, "key-1", GROCERIES), T0.plusSeconds(1));
        projector.pipe(erase(ADA), T0.plusSeconds(2));
        projector.drainOutputs();
        KEYS.destroy(ADA);
        CardCommandRecord twice = erase(ADA);
        projector.pipe(twice, T0.plusSeconds(3));
        assertThat(projector.nextAnswerTo(twice).getResult()).isEqualTo(new ErasedResult(0L, 0));
    }

    @Test
    void aStoredAnswerThatNoLongerOpensIsDecidedAnewInsteadOfStallingThePartition() {
        // Keys destroyed some other way than the projector's erasure: the idempotency entry is
        // still there, its stored answer is unreadable.
        CardCommandRecord first = create(ADA, CARD, "key-1", GROCERIES);
        projector.pipe(first, T0);
        projector.drainOutputs();
        KEYS.destroy(ADA);

        CardCommandRecord again = retryOf(first);
        projector.pipe(again, T0.plusSeconds(1));

        CommandOutcomeRecord answer = projector.nextAnswerTo(again);
        assertThat(answer.getReplayed()).isFalse();
        // The old card is unreadable too, so the request starts from nothing.
        assertThat(((AppliedResult) answer.getResult()).getKind()).isEqualTo(AppliedKind.CREATED);
    }

    /** Every entry of the user in each store of the projector but the expiry index (keyed by time). */
    private Map<String, Map<String, Object>> entriesOf(String user) {
        Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
        for (String store : Stores.ALL) {
            if (store.equals(Stores.EXPIRY_INDEX) || store.equals(Stores.USER_SEQUENCE)) {
                continue;
            }
            Map<String, Object> mine = new LinkedHashMap<>();
            projector.<Object>contentsOf(store).forEach((key, value) -> {
                if (key.startsWith(StoreKeys.userPrefix(user))) {
                    mine.put(key, value);
                }
            });
            entries.put(store, mine);
        }
        return entries;
    }

    private CardCommandRecord erase(String user) {
        return command(user, null, "DELETE /api/me", new CardCommand.EraseUser());
    }

    private CardCommandRecord create(String user, String cardId, String key, CardFields fields) {
        return command(user, key, "POST /api/cards " + cardId + " " + fields, new CardCommand.CreateCard(cardId, fields));
    }

    private CardCommandRecord update(String user, String cardId, String key, CardPatch patch, ExpectedVersion expected) {
        return command(user, key, "PATCH /api/cards/" + cardId + " " + patch + " " + expected,
                new CardCommand.UpdateCard(cardId, patch, expected));
    }

    private CardCommandRecord delete(String user, String cardId, String key, ExpectedVersion expected) {
        return command(user, key, "DELETE /api/cards/" + cardId + " " + expected,
                new CardCommand.DeleteCard(cardId, expected));
    }

    /** The same request sent again: as the API does, a new command id, the same key and fingerprint. */
    private CardCommandRecord retryOf(CardCommandRecord first) {
        return CardCommandRecord.newBuilder(first).setCommandId(nextCommandId()).build();
    }

    /** Moves stream time forward with another user's keyless command, so the purge punctuation runs. */
    private CardCommandRecord advanceStreamTimeTo(Instant time) {
        CardCommandRecord unrelated = create(BOB, "card-clock-" + commandsSent, null, note("Elsewhere"));
        projector.pipe(unrelated, time);
        return unrelated;
    }

    private CardCommandRecord command(String user, String key, String request, CardCommand command) {
        // The fingerprint stands in for the API's hash of method, path and body.
        String fingerprint = key == null ? null : "fp:" + request;
        return CommandMapper.toRecord(new CommandEnvelope(nextCommandId(), user, user, key, fingerprint, CLIENT, command));
    }

    /** The command's value as a writer of published command schema {@code version} encoded it. */
    private static byte[] underPublishedSchema(int version, CardCommandRecord command) {
        Schema old = PublishedSchemas.versions().get(version).get(CardCommandRecord.getClassSchema().getFullName());
        SchemaStore.Cache writers = new SchemaStore.Cache();
        writers.addSchema(CardCommandRecord.getClassSchema());
        try {
            GenericRecord record = new BinaryMessageDecoder<GenericRecord>(GenericData.get(), old, writers)
                    .decode(AvroSerdes.commands().serialize(PawkitTopics.CARD_COMMANDS, command));
            java.nio.ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), old).encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String nextCommandId() {
        commandsSent++;
        return "command-" + commandsSent;
    }

    // ---- expected values ----

    private static CommandOutcomeRecord applied(CardCommandRecord command, AppliedKind kind, CardView card) {
        return answer(command, new AppliedResult(kind, card), false);
    }

    private static CommandOutcomeRecord rejected(CardCommandRecord command, RejectionReason reason, String detail,
            CardView current) {
        return rejected(command, reason, detail, current, false);
    }

    private static CommandOutcomeRecord rejected(CardCommandRecord command, RejectionReason reason, String detail,
            CardView current, boolean replayed) {
        return answer(command, new RejectedResult(reason, detail, current), replayed);
    }

    private static CommandOutcomeRecord answer(CardCommandRecord command, Object result, boolean replayed) {
        return CommandOutcomeRecord.newBuilder()
                .setCommandId(command.getCommandId()).setUserId(command.getUserId()).setCardId(command.getCardId())
                .setReplayed(replayed).setResult(result).setCommandOffset(offsetOf(command))
                .build();
    }

    private static long offsetOf(CardCommandRecord command) {
        return PIPED_AT.getOrDefault(command.getCommandId(), -1L);
    }

    private static CardView cardView(String owner, String cardId, CardFields fields, long version, Instant createdAt,
            Instant updatedAt, boolean deleted, long changeSeq) {
        return CardView.newBuilder()
                .setId(cardId).setOwnerId(owner).setFields(CardMapper.toRecord(fields)).setVersion(version)
                .setCreatedAt(createdAt).setUpdatedAt(updatedAt).setDeleted(deleted).setChangeSeq(changeSeq)
                .build();
    }

    private static CardFields note(String title) {
        return new CardFields(CardType.TEXT_NOTE, null, title, null, "milk, eggs", List.of("home"), List.of(),
                false, Metadata.EMPTY);
    }

    private static CardFields pinnedNote(String title) {
        return new CardFields(CardType.TEXT_NOTE, null, title, null, "milk, eggs", List.of("home"), List.of(),
                true, Metadata.EMPTY);
    }

    private static CardPatch titleTo(String title) {
        return new CardPatch(Edit.keep(), Edit.to(title), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep());
    }

    private static CardPatch pinnedTo(boolean pinned) {
        return new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.to(pinned), Edit.keep(), Edit.keep());
    }

    // ---- the projector under test ----

    /** One projector topology in a test driver, with its topics and stores. */
    private static final class RunningProjector implements AutoCloseable {

        final TopologyTestDriver driver;
        final TestInputTopic<String, CardCommandRecord> commands;
        final TestInputTopic<String, byte[]> rawCommands;
        final TestOutputTopic<String, CardEventRecord> events;
        final TestOutputTopic<String, CommandOutcomeRecord> results;
        final TestOutputTopic<String, byte[]> userKeys;

        private long nextOffset;

        RunningProjector(Path stateDir, Instant wallClock) {
            Properties config = new Properties();
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, "projector-topology-test");
            config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
            config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            driver = new TopologyTestDriver(ProjectorTopology.build(new PawkitSerdes(SEALING), TTL, PURGE_INTERVAL), config,
                    wallClock);
            commands = driver.createInputTopic(PawkitTopics.CARD_COMMANDS, new StringSerializer(),
                    AvroSerdes.commands().serializer());
            rawCommands = driver.createInputTopic(PawkitTopics.CARD_COMMANDS, new StringSerializer(),
                    new ByteArraySerializer());
            // The wire records, unsealed: what the users' keys open.
            events = driver.createOutputTopic(PawkitTopics.CARD_EVENTS, new StringDeserializer(),
                    (topic, bytes) -> SEALING.open(AvroSerdes.events().deserialize(topic, bytes)).orElseThrow());
            results = driver.createOutputTopic(PawkitTopics.COMMAND_RESULTS, new StringDeserializer(),
                    (topic, bytes) -> SEALING.open(AvroSerdes.outcomes().deserialize(topic, bytes)).orElseThrow());
            userKeys = driver.createOutputTopic(PawkitTopics.USER_KEYS, new StringDeserializer(),
                    new ByteArrayDeserializer());
        }

        /** Appends a command's value as given bytes (say, written under an older schema). */
        void pipeBytes(CardCommandRecord command, byte[] value, Instant at) {
            PIPED_AT.put(command.getCommandId(), nextOffset++);
            rawCommands.pipeInput(command.getCardId(), value, at);
        }

        /** Appends a command at a given record time, keyed by card id as the API does. */
        void pipe(CardCommandRecord command, Instant at) {
            PIPED_AT.put(command.getCommandId(), nextOffset++);
            commands.pipeInput(command.getCardId(), command, at);
        }

        /** The next answer on the results topic, which must be keyed by the command's id. */
        CommandOutcomeRecord nextAnswerTo(CardCommandRecord command) {
            KeyValue<String, CommandOutcomeRecord> answer = results.readKeyValue();
            assertThat(answer.key).isEqualTo(command.getCommandId());
            return answer.value;
        }

        void drainOutputs() {
            events.readRecordsToList();
            results.readRecordsToList();
            userKeys.readRecordsToList();
        }

        /** The stored card, in its wire form (what the store's bytes say). */
        CardView card(String user, String cardId) {
            KeyValueStore<String, StoredCard> cards = driver.getKeyValueStore(Stores.CARDS);
            StoredCard card = cards.get(StoreKeys.scoped(user, cardId));
            return card == null ? null : CardMapper.toView(card);
        }

        CommandOutcomeRecord outcome(String user, String commandId) {
            KeyValueStore<String, OutcomeEnvelope> outcomes = driver.getKeyValueStore(Stores.OUTCOMES);
            OutcomeEnvelope outcome = outcomes.get(StoreKeys.scoped(user, commandId));
            return outcome == null ? null : OutcomeMapper.toRecord(outcome);
        }

        IdempotencyRecord idempotencyEntry(String user, String key) {
            KeyValueStore<String, IdempotencyEntry> idempotency = driver.getKeyValueStore(Stores.IDEMPOTENCY);
            IdempotencyEntry entry = idempotency.get(StoreKeys.scoped(user, key));
            return entry == null ? null : new IdempotencyRecord(entry.fingerprint(), entry.commandId(), entry.firstSeen(),
                    entry.legacyFingerprint());
        }

        /** A whole store in key order. */
        <V> Map<String, V> contentsOf(String storeName) {
            KeyValueStore<String, V> store = driver.getKeyValueStore(storeName);
            Map<String, V> contents = new LinkedHashMap<>();
            try (KeyValueIterator<String, V> all = store.all()) {
                all.forEachRemaining(kv -> contents.put(kv.key, kv.value));
            }
            return contents;
        }

        /**
         * Every record of an output topic as key, timestamp and value bytes in hex, for exact
         * comparison: the value opened (sealing draws a fresh nonce every time, so ciphertexts
         * always differ) and encoded again in clear, byte for byte what was decided.
         */
        List<String> serializedOutput(String topic) {
            TestOutputTopic<String, byte[]> raw =
                    driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
            return raw.readRecordsToList().stream().map(record -> describe(topic, record)).toList();
        }

        private static String describe(String topic, TestRecord<String, byte[]> record) {
            byte[] opened = topic.equals(PawkitTopics.CARD_EVENTS)
                    ? AvroSerdes.events().serialize(topic, SEALING.open(AvroSerdes.events().deserialize(topic, record.value())).orElseThrow())
                    : AvroSerdes.outcomes().serialize(topic, SEALING.open(AvroSerdes.outcomes().deserialize(topic, record.value())).orElseThrow());
            return record.key() + "@" + record.timestamp() + "=" + HexFormat.of().formatHex(opened);
        }

        @Override
        public void close() {
            driver.close();
        }
    }
}
