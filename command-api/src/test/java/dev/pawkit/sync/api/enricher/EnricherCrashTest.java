package dev.pawkit.sync.api.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.enricher.EnricherConfig;
import dev.pawkit.sync.enricher.MetadataEnricher;
import dev.pawkit.sync.infra.PawkitTopics;
import dev.pawkit.sync.infra.OwnerPartitioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An enricher that dies mid-batch, after some answers reached the log but before their offsets
 * were committed, and a new instance of its group taking over: every card gets its metadata, and
 * none twice.
 */
class EnricherCrashTest extends EnricherIntegrationTest {

    @Test
    void aCrashMidBatchNeitherLosesNorDuplicatesAnUpdate() throws Exception {
        String group = "pawkit-enricher-crash-" + UUID.randomUUID();
        // A long read timeout: the held pages must still be in flight when the first instance dies.
        EnricherConfig config = config(group, List.of("127.0.0.1"), testSettings(Duration.ofSeconds(30)));
        MetadataEnricher first = startEnricher(config);
        String user = newUser("crash");
        long start = committedOffset(group, user);

        // One user, so one partition, in this order: held pages first, then quick ones. The quick
        // answers reach the log, but the offsets stay behind the unanswered held ones.
        List<String> held = new ArrayList<>();
        List<String> quick = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            held.add(createUrlCard(user, site.url("/held/" + i)));
        }
        for (int i = 1; i <= 3; i++) {
            quick.add(createUrlCard(user, site.url("/quick/" + i)));
        }
        for (String id : quick) {
            assertThat(state(awaitAnswered(user, id))).isEqualTo("ok");
        }
        Thread.sleep(500);
        assertThat(committedOffset(group, user)).as("nothing committed past the unanswered held pages")
                .isEqualTo(start);

        first.halt();
        site.releaseHeld();
        assertThat(metadataCommands(user)).as("only the quick answers made it before the crash").hasSize(3);

        startEnricher(config);
        for (String id : held) {
            JsonNode card = awaitAnswered(user, id);
            assertThat(state(card)).isEqualTo("ok");
            assertThat(metadata(card, "title")).startsWith("Held ");
        }
        for (String id : List.of(held, quick).stream().flatMap(List::stream).toList()) {
            assertThat(card(user, id).get("version").longValue()).isEqualTo(2);
            assertAnsweredExactlyOnce(user, id);
        }

        // The second instance answered everything again from the last commit: the quick cards'
        // answers are in the log twice, and the second was a replay, not a second change.
        Map<String, Long> answersPerKey = metadataCommands(user).stream()
                .collect(Collectors.groupingBy(CommandEnvelope::idempotencyKey, Collectors.counting()));
        for (String id : quick) {
            assertThat(answersPerKey.get("metadata:" + id + ":1")).isEqualTo(2);
            assertThat(site.hits("/quick/" + (quick.indexOf(id) + 1))).isEqualTo(2);
        }
        for (String id : held) {
            assertThat(answersPerKey.get("metadata:" + id + ":1")).isEqualTo(1);
        }
        assertThat(committedOffset(group, user)).as("committed past all six now").isGreaterThan(start + 6);
    }

    /** The group's committed offset in the user's partition of the event topic. */
    private long committedOffset(String group, String user) throws Exception {
        int partition = OwnerPartitioner.partitionFor(user, partitions);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata committed = offsets.get(new TopicPartition(PawkitTopics.CARD_EVENTS, partition));
            return committed == null ? -1 : committed.offset();
        }
    }
}
