package dev.pawkit.sync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pawkit.sync.client.CardField;
import dev.pawkit.sync.client.CardPatch;
import dev.pawkit.sync.client.CardType;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** The command line, parsed by picocli and nothing run. Pure. */
class CliParsingTest {

    private static ParseResult parse(String... args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        return new PawkitCli(nowhere, nowhere, Map.of()).commandLine().parseArgs(args);
    }

    /** The fields add and edit take, parsed on their own. */
    private static CardPatch patch(String... args) {
        CardFieldOptions options = new CardFieldOptions();
        new CommandLine(options).parseArgs(args);
        return options.patch();
    }

    @Test
    void settingsCommandIdAndFieldsAreToldApart() {
        ParseResult parsed = parse("--store", "x.db", "edit", "abc", "--title", "T", "--pinned");
        assertThat(parsed.matchedOptionValue("--store", (Path) null)).isEqualTo(Path.of("x.db"));
        ParseResult edit = parsed.subcommand();
        assertThat(edit.commandSpec().name()).isEqualTo("edit");
        assertThat(edit.matchedPositionalValue(0, (String) null)).isEqualTo("abc");
        assertThat(edit.matchedOptionValue("--title", (String) null)).isEqualTo("T");
        assertThat(edit.matchedOptionValue("--pinned", (Boolean) null)).isTrue();
    }

    @Test
    void settingsMayAlsoFollowTheCommand() {
        ParseResult list = parse("list", "--store", "x.db", "--server", "http://h:1", "--token", "t").subcommand();
        assertThat(list.matchedOptionValue("--store", (Path) null)).isEqualTo(Path.of("x.db"));
        assertThat(list.matchedOptionValue("--server", (String) null)).isEqualTo("http://h:1");
        assertThat(list.matchedOptionValue("--token", (String) null)).isEqualTo("t");
    }

    @Test
    void pinnedTakesTrueOrFalseOnlyAndOtherwiseLeavesTheWordAlone() {
        ParseResult unpin = parse("edit", "x", "--pinned", "false").subcommand();
        assertThat(unpin.matchedOptionValue("--pinned", (Boolean) null)).isFalse();
        ParseResult pinThenId = parse("edit", "--pinned", "3f2a").subcommand();
        assertThat(pinThenId.matchedOptionValue("--pinned", (Boolean) null)).isTrue();
        assertThat(pinThenId.matchedPositionalValue(0, (String) null)).isEqualTo("3f2a");
    }

    @Test
    void addReadsTheCardTypeByItsWireName() {
        ParseResult add = parse("add", "--type", "md-note", "--content", "# hi").subcommand();
        assertThat(add.matchedOptionValue("--type", (CardType) null)).isEqualTo(CardType.MD_NOTE);
        assertThatThrownBy(() -> parse("add", "--type", "video"))
                .isInstanceOf(ParameterException.class).hasMessageContaining("unknown card type 'video'");
    }

    @Test
    void onlyTheFieldsGivenGoIntoThePatch() {
        assertThat(patch("--title", "T", "--pinned").changes())
                .containsExactlyInAnyOrderEntriesOf(Map.of(CardField.TITLE, "T", CardField.PINNED, true));
        assertThat(patch().isEmpty()).isTrue();
    }

    @Test
    void listsAreCommaSeparatedTrimmedAndMayBeEmptied() {
        assertThat(patch("--tags", "a, b,,c").value(CardField.TAGS)).isEqualTo(List.of("a", "b", "c"));
        assertThat(patch("--collections", "").value(CardField.COLLECTIONS)).isEqualTo(List.of());
    }

    @Test
    void aMisspelledOptionIsRefused() {
        assertThatThrownBy(() -> parse("add", "--type", "text-note", "--titel", "X"))
                .isInstanceOf(UnmatchedArgumentException.class).hasMessageContaining("Unknown option").hasMessageContaining("'--titel'");
    }

    @Test
    void anUnknownCommandIsRefused() {
        assertThatThrownBy(() -> parse("frobnicate")).isInstanceOf(UnmatchedArgumentException.class);
    }

    @Test
    void missingValuesAndArgumentsAreRefused() {
        assertThatThrownBy(() -> parse("add", "--type", "url", "--title"))
                .isInstanceOf(MissingParameterException.class).hasMessageContaining("--title");
        assertThatThrownBy(() -> parse("add", "--title", "T"))
                .isInstanceOf(MissingParameterException.class).hasMessageContaining("--type");
        assertThatThrownBy(() -> parse("delete"))
                .isInstanceOf(MissingParameterException.class).hasMessageContaining("ID");
        assertThatThrownBy(() -> parse("delete", "a", "b")).isInstanceOf(UnmatchedArgumentException.class);
    }

    @Test
    void noCommandParsesToTheRootAlone() {
        assertThat(parse().hasSubcommand()).isFalse();
    }
}
