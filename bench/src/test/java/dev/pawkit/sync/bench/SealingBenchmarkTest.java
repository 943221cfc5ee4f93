package dev.pawkit.sync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.schemas.PawkitSerdes;
import dev.pawkit.sync.schemas.sealing.InMemoryUserKeys;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sealing benchmark compares what it says it compares: its "on" serdes write none of the
 * samples' text in clear, its "off" serdes write all of it, and both read every sample back as it
 * was. And its serde part runs to a summary (tiny counts, no broker; figures are not judged).
 */
class SealingBenchmarkTest {

    @Test
    void onSealsTheSamplesOffWritesThemInClearAndBothReadThemBack() {
        InMemoryUserKeys keys = new InMemoryUserKeys();
        PawkitSerdes on = PawkitSerdes.sealedWith(keys);
        PawkitSerdes off = PawkitSerdes.inClear();
        for (SerdeCost.Kind kind : SerdeCost.Kind.values()) {
            assertThat(latin1(SerdeCost.written(on, kind))).as(kind.label).doesNotContain(SerdeCost.MARKER);
            assertThat(latin1(SerdeCost.written(off, kind))).as(kind.label).contains(SerdeCost.MARKER);
            assertThat(SerdeCost.readsBack(on, kind)).as(kind.label).isTrue();
            assertThat(SerdeCost.readsBack(off, kind)).as(kind.label).isTrue();
        }
    }

    @Test
    void theSerdePartRunsToASummary() {
        SealingBenchmark.Plan plan = SealingBenchmark.Plan.of(Map.of("quick", "true", "rounds", "2",
                "records", "200", "serde-only", "true"));

        SealingBenchmark.SerdeFigures figures = SealingBenchmark.serde(plan);

        for (SerdeCost.Kind kind : SerdeCost.Kind.values()) {
            assertThat(figures.on().get(kind).getTotalCount()).isEqualTo(400);
            assertThat(figures.off().get(kind).getTotalCount()).isEqualTo(400);
        }
        assertThat(SealingBenchmark.summary(figures, null)).matches("sealing: serde_ns_on=\\d+ serde_ns_off=\\d+ serde_ratio=[0-9.]+");
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
