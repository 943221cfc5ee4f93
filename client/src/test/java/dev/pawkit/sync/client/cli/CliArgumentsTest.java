package dev.pawkit.sync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line, parsed. Pure. */
class CliArgumentsTest {

    @Test
    void optionsFlagsAndPositionalsAreToldApart() {
        CliArguments args = CliArguments.parse(new String[] {"--store", "x.db", "edit", "abc", "--title", "T",
                "--tags", "a, b,,c", "--pinned"});
        assertThat(args.command()).isEqualTo("edit");
        assertThat(args.positional()).containsExactly("abc");
        assertThat(args.option("store")).contains("x.db");
        assertThat(args.option("title")).contains("T");
        assertThat(args.list("tags")).contains(List.of("a", "b", "c"));
        assertThat(args.option("pinned")).contains("true");
    }

    @Test
    void aFlagMayTakeAnExplicitBoolean() {
        assertThat(CliArguments.parse(new String[] {"edit", "x", "--pinned", "false"}).option("pinned")).contains("false");
        assertThat(CliArguments.parse(new String[] {"add", "--pinned", "--title", "t"}).option("pinned")).contains("true");
    }

    @Test
    void anOptionWithoutItsValueIsRefused() {
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"add", "--title"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--title");
    }

    @Test
    void noCommandIsHelp() {
        assertThat(CliArguments.parse(new String[0]).command()).isEqualTo("help");
    }
}
