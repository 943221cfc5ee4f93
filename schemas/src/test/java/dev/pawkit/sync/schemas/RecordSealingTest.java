package dev.pawkit.sync.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.log.CommandEnvelope;
import dev.pawkit.sync.domain.log.EventEnvelope;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Personal content is sealed in the bytes the serdes write (never in clear), opens again for its
 * owner, reads as nothing once the owner's keys are destroyed, and values written before sealing
 * (in clear, schema v5) still read.
 */
class RecordSealingTest {

    private static final String MARKER = "zebra-marker-4711";
    private final InMemoryUserKeys keys = new InMemoryUserKeys();
    private final PawkitSerdes serdes = PawkitSerdes.sealedWith(keys);

    private static CardFields fields() {
        return new CardFields(CardType.URL, "https://" + MARKER + ".example/page", "title " + MARKER,
                "notes " + MARKER, null, List.of("tag-" + MARKER), List.of("col-" + MARKER), true, Metadata.EMPTY);
    }

    private static EventEnvelope created(String owner) {
        return new EventEnvelope(new CardEvent.CardCreated("c1", owner, 1, Instant.parse("2026-12-06T10:00:00Z"),
                fields()), "cmd-1", "key-1", "web", owner);
    }

    @Test
    void eventsAndCommandsCarryNoPersonalContentInClearAndOpenForTheirOwner() {
        EventEnvelope event = created("alice");
        byte[] eventBytes = serdes.events().serializer().serialize("t", event);
        CommandEnvelope update = new CommandEnvelope("cmd-2", "alice", "alice", "key-2", "fp", null, "web",
                new CardCommand.UpdateCard("c1", new CardPatch(Edit.keep(), Edit.to("new " + MARKER), Edit.keep(),
                        Edit.keep(), Edit.to(List.of("t-" + MARKER)), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep()),
                        new ExpectedVersion.InBody(1)));
        byte[] commandBytes = serdes.commands().serializer().serialize("t", update);

        assertThat(latin1(eventBytes)).doesNotContain(MARKER).contains("alice").contains("c1");
        assertThat(latin1(commandBytes)).doesNotContain(MARKER);
        assertThat(serdes.events().deserializer().deserialize("t", eventBytes)).isEqualTo(event);
        assertThat(serdes.commands().deserializer().deserialize("t", commandBytes)).isEqualTo(update);
    }

    @Test
    void afterTheOwnersKeysAreDestroyedTheirValuesReadAsNothingAndOthersStillRead() {
        byte[] alices = serdes.events().serializer().serialize("t", created("alice"));
        byte[] bobs = serdes.events().serializer().serialize("t", created("bob"));

        keys.destroy("alice");

        assertThat(serdes.events().deserializer().deserialize("t", alices)).isNull();
        assertThat(serdes.events().deserializer().deserialize("t", bobs)).isEqualTo(created("bob"));
    }

    @Test
    void valuesWrittenInClearBeforeSealingStillRead() {
        // What the serdes wrote before v6: the mapped record, unsealed.
        byte[] clear = AvroSerdes.events().serializer().serialize("t", EventMapper.toRecord(created("carol")));

        assertThat(latin1(clear)).contains(MARKER);
        assertThat(serdes.events().deserializer().deserialize("t", clear)).isEqualTo(created("carol"));
    }

    @Test
    void serdesInClearWriteTheFormValuesHadBeforeSealingAndOpenNothingSealed() {
        PawkitSerdes clear = PawkitSerdes.inClear();
        byte[] written = clear.events().serializer().serialize("t", created("dave"));

        assertThat(written).as("the v5 form: the mapped record, unsealed")
                .isEqualTo(AvroSerdes.events().serializer().serialize("t", EventMapper.toRecord(created("dave"))));
        assertThat(serdes.events().deserializer().deserialize("t", written)).isEqualTo(created("dave"));
        byte[] sealed = serdes.events().serializer().serialize("t", created("dave"));
        assertThatThrownBy(() -> clear.events().deserializer().deserialize("t", sealed))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(clear::sealer).isInstanceOf(IllegalStateException.class);
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
