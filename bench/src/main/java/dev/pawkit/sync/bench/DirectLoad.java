package dev.pawkit.sync.bench;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.infra.CommandLog;
import dev.pawkit.sync.infra.KafkaClientSettings;
import dev.pawkit.sync.infra.KafkaUserKeys;
import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.KeyMaterial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * Note cards created by writing their commands straight to a running stack's command topic, as its
 * API appends them (sealed under each user's key in the stack's key topic, with the stack's master
 * key), then waited for until the stack's projector has decided them all. For sizes the API cannot
 * load in reasonable time on a shared 2-core machine (74 to 250 cards/s through the API: 1,000,000
 * cards would take hours); what the projector, its stores and changelogs hold afterwards is the same
 * as after the API's creates.
 */
final class DirectLoad {

    /** The stack's projector: its consumer group, whose committed offsets say what it decided. */
    private static final String PROJECTOR_GROUP = "pawkit-projector";

    private DirectLoad() {
    }

    /**
     * {@code cards} creates over {@code users} users ({@code user-0} …), appended as the API appends them; returns
     * once the projector's committed offsets reach the end of the command topic.
     *
     * @param masterKeyFile the stack's master key ({@code <data>/master-key.json} of a local stack)
     * @param partitions the stack's partition count ({@code pawkit.kafka.partitions})
     */
    static void createNotes(String bootstrap, Path masterKeyFile, int partitions, long cards, int users,
            String run) throws Exception {
        KeyMaterial material = new KeyMaterial(KeyMaterial.masterFromJson(Files.readString(masterKeyFile)));
        Iterator<CommandEnvelope> creates = LongStream.range(0, cards).mapToObj(i -> {
            if (i % 100_000 == 99_999) {
                System.out.printf("  %,d commands appended%n", i + 1);
            }
            return CommandLog.envelope(UUID.randomUUID().toString(),
                    CommandLog.Origin.user("user-" + (i % users), run + "-" + i, "bench-direct-load", "POST /api/cards"),
                    new CardCommand.CreateCard(UUID.randomUUID().toString(), new CardFields(CardType.MD_NOTE, null,
                            "recovery card " + run + "-" + i, null, null, List.of(), List.of(), false, null)));
        }).iterator();
        try (KafkaUserKeys keys = new KafkaUserKeys(KafkaClientSettings.plaintext(bootstrap), material)) {
            CommandTopic.append(bootstrap, partitions, PawkitSerdes.sealedWith(keys), creates);
        }
        awaitDecided(bootstrap, partitions);
    }

    /** Until the projector group's committed offsets reach the command topic's end, reporting progress. */
    private static void awaitDecided(String bootstrap, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, Long> end = CommandTopic.end(admin, partitions);
            long lastReport = 0;
            for (long behind = CommandTopic.behind(admin, PROJECTOR_GROUP, end); behind > 0;
                    behind = CommandTopic.behind(admin, PROJECTOR_GROUP, end)) {
                if (System.nanoTime() - lastReport > Duration.ofSeconds(30).toNanos()) {
                    System.out.printf("  the projector has %,d commands to decide%n", behind);
                    lastReport = System.nanoTime();
                }
                Thread.sleep(500);
            }
        }
    }
}
