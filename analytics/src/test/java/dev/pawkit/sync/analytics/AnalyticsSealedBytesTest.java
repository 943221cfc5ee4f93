package dev.pawkit.sync.analytics;

import static dev.pawkit.sync.analytics.AnalyticsFixture.DAY1;
import static dev.pawkit.sync.analytics.AnalyticsFixture.DAY2;
import static dev.pawkit.sync.analytics.AnalyticsFixture.created;
import static dev.pawkit.sync.analytics.AnalyticsFixture.deleted;
import static dev.pawkit.sync.analytics.AnalyticsFixture.updated;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing of a card's content is written in clear by analytics: the raw bytes of every record it
 * writes to its changelogs and its repartition topic, and of every file of its state directory,
 * hold no marker taken from a card's tags, title, notes or url path. The url's host may appear
 * (domains are counted globally, in clear) and must: it shows the scan sees what is there. The
 * global moves and counts name no card and no user either (the facts store's keys do: user and
 * card ids, which the event log carries in clear anyway).
 */
class AnalyticsSealedBytesTest {

    private static final String HOST = "hostmarker.example";
    private static final List<String> MARKERS = List.of("tagmarker-one", "tagmarker-two", "pathmarker",
            "titlemarker", "notesmarker");
    private static final String USER = "usermarker";

    @TempDir
    Path stateDir;

    @Test
    void noCardContentInAnyChangelogTheRepartitionTopicOrTheStateFiles() throws IOException {
        List<byte[]> written = new ArrayList<>();
        List<byte[]> global = new ArrayList<>();
        byte[] files;
        try (AnalyticsFixture analytics = new AnalyticsFixture(stateDir)) {
            analytics.append(created(USER, "cardmarker-1", DAY1, new CardFields(CardType.URL,
                    "https://" + HOST + "/pathmarker/a?q=pathmarker", "titlemarker", "notesmarker", null,
                    List.of("tagmarker-one"), List.of(), false, null)));
            analytics.append(created(USER, "cardmarker-2", DAY1, new CardFields(CardType.MD_NOTE, null,
                    "titlemarker", "notesmarker", "notesmarker", List.of("tagmarker-one"), List.of(), false, null)));
            analytics.append(updated(USER, "cardmarker-1", 2, DAY2, new CardPatch(Edit.to("https://" + HOST
                    + "/pathmarker/b"), Edit.to("titlemarker"), Edit.keep(), Edit.keep(),
                    Edit.to(List.of("tagmarker-two")), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep())));
            analytics.append(deleted(USER, "cardmarker-2", 2, DAY2));
            assertThat(analytics.userStats(USER).tags()).as("counted")
                    .containsExactly(new Stats.Ranked("tagmarker-two", 1));

            for (String topic : AnalyticsStores.internalTopics(AnalyticsFixture.APPLICATION_ID)) {
                TestOutputTopic<byte[], byte[]> out = analytics.driver().createOutputTopic(topic,
                        new ByteArrayDeserializer(), new ByteArrayDeserializer());
                List<TestRecord<byte[], byte[]>> records = out.readRecordsToList();
                assertThat(records).as("records written to " + topic).isNotEmpty();
                boolean globalTopic = topic.contains(AnalyticsStores.GLOBAL_DELTAS)
                        || topic.contains(AnalyticsStores.GLOBAL_STATS);
                for (TestRecord<byte[], byte[]> record : records) {
                    // A deleted fact is a tombstone: a null value.
                    List<byte[]> bytes = new ArrayList<>(Arrays.asList(record.key(), record.value()));
                    record.headers().forEach(header -> bytes.add(header.value()));
                    written.addAll(bytes);
                    if (globalTopic) {
                        global.addAll(bytes);
                    }
                }
            }
            // Everything the stores hold, on disk (the driver's own close would delete it).
            analytics.closeStoresToDisk();
            files = concatenated(filesUnder(stateDir));
        }
        byte[] topics = concatenated(written);
        byte[] globalTopics = concatenated(global);

        assertThat(contains(topics, HOST)).as("the host, counted globally, is seen in the topics").isTrue();
        assertThat(contains(files, HOST)).as("the host, counted globally, is seen in the state files").isTrue();
        for (String marker : MARKERS) {
            assertThat(contains(topics, marker)).as(marker + " in the analytics topics").isFalse();
            assertThat(contains(files, marker)).as(marker + " in the analytics state files").isFalse();
        }
        assertThat(contains(globalTopics, HOST)).as("the host in the global moves and counts").isTrue();
        assertThat(contains(globalTopics, "cardmarker")).as("a card id in the global moves and counts").isFalse();
        assertThat(contains(globalTopics, USER)).as("the user id in the global moves and counts").isFalse();
    }

    private static List<byte[]> filesUnder(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            return paths.filter(Files::isRegularFile).map(path -> {
                try {
                    return Files.readAllBytes(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static byte[] concatenated(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            if (part != null) {
                all.writeBytes(part);
                all.write(0);
            }
        }
        return all.toByteArray();
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] target = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + target.length <= haystack.length; i++) {
            for (int j = 0; j < target.length; j++) {
                if (haystack[i + j] != target[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
