package dev.pawkit.sync.client.cli;

import dev.pawkit.sync.client.CardField;
import dev.pawkit.sync.client.CardPatch;
import java.util.List;
import picocli.CommandLine.Option;

/** The card fields {@code add} and {@code edit} take (a picocli mixin); only those given go into the patch. */
final class CardFieldOptions {

    @Option(names = "--url", paramLabel = "U", description = "the link (a url card needs one)")
    String url;

    @Option(names = "--title", paramLabel = "T")
    String title;

    @Option(names = "--notes", paramLabel = "N")
    String notes;

    @Option(names = "--content", paramLabel = "C", description = "a note's text")
    String content;

    @Option(names = "--tags", split = ",", paramLabel = "TAG", description = "comma-separated; \"\" clears them")
    List<String> tags;

    @Option(names = "--collections", split = ",", paramLabel = "NAME", description = "comma-separated; \"\" clears them")
    List<String> collections;

    // arity 0..1: "--pinned" alone pins; picocli takes the next word as the value only when it is
    // true or false, so "edit --pinned 3f2a" still reads 3f2a as the card id.
    @Option(names = "--pinned", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "pin (alone or true) or unpin (false)")
    Boolean pinned;

    CardPatch patch() {
        CardPatch patch = CardPatch.empty();
        patch = withText(patch, CardField.URL, url);
        patch = withText(patch, CardField.TITLE, title);
        patch = withText(patch, CardField.NOTES, notes);
        patch = withText(patch, CardField.CONTENT, content);
        if (tags != null) {
            patch = patch.with(CardField.TAGS, cleaned(tags));
        }
        if (collections != null) {
            patch = patch.with(CardField.COLLECTIONS, cleaned(collections));
        }
        if (pinned != null) {
            patch = patch.pinned(pinned);
        }
        return patch;
    }

    private static CardPatch withText(CardPatch patch, CardField field, String value) {
        return value == null ? patch : patch.with(field, value);
    }

    /** "a, b,,c" is a, b and c: spaces around a name and empty names are typing, not tags. */
    private static List<String> cleaned(List<String> names) {
        return names.stream().map(String::trim).filter(name -> !name.isEmpty()).toList();
    }
}
