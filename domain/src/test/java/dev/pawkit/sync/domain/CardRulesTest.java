package dev.pawkit.sync.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand.ApplyMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The card rules on their own: what they accept, what they refuse and the reason they give. */
class CardRulesTest {

    private static final String SITE = "https://example.com/";

    @Test
    void aCardWithEveryFieldAtItsLimitKeepsTheRules() {
        CardFields full = new CardFields(CardType.URL, SITE + "p".repeat(2048 - SITE.length()), "t".repeat(1000),
                "n".repeat(100_000), "c".repeat(500_000), labels("t", 99, "t".repeat(100)),
                labels("c", 99, "c".repeat(200)), true,
                new Metadata("d".repeat(2000), SITE + "i".repeat(2048 - SITE.length()), "p".repeat(1000),
                        "s".repeat(1000), SITE + "f".repeat(2048 - SITE.length()),
                        MetadataStatus.pending(SITE, 1).failed("r".repeat(500), Instant.EPOCH)));

        assertThat(CardRules.violation(full)).isNull();
    }

    @Test
    void anEmptyNoteKeepsTheRules() {
        assertThat(CardRules.violation(new CardFields(CardType.MD_NOTE, null, null, null, null, List.of(), List.of(),
                false, Metadata.EMPTY))).isNull();
    }

    @Test
    void lengthsAreCountedInCharactersAsUsersSeeThemNotUtf16Units() {
        // U+1F600 is two UTF-16 units: 1000 of them are 2000 chars in Java, 1000 characters to a user.
        String grin = "\uD83D\uDE00";

        assertThat(CardRules.violation(noteTitled(grin.repeat(1000)))).isNull();
        assertThat(CardRules.violation(noteTitled(grin.repeat(1001))))
                .isEqualTo("title is limited to 1000 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://example.com", "http://example.com/a?b=c#d", "HTTPS://EXAMPLE.COM/x",
            "http://127.0.0.1:8080/"})
    void anAbsoluteHttpUrlWithAHostIsAUrl(String url) {
        assertThat(CardRules.violation(noteWithUrl(url))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/file", "javascript:alert(1)", "/relative/path", "example.com",
            "https://exa mple.com", "file:///etc/passwd", "http:/no-host", "", " "})
    void anythingElseIsNotAUrl(String url) {
        assertThat(CardRules.violation(noteWithUrl(url))).isEqualTo("url must be an absolute http(s) URL");
    }

    @Test
    void aUrlCardNeedsAUrlBeforeItsUrlIsRead() {
        CardFields blank = new CardFields(CardType.URL, " ", null, null, null, List.of(), List.of(), false,
                Metadata.EMPTY);

        assertThat(CardRules.violation(blank)).isEqualTo("a url card needs a url");
    }

    @Test
    void labelsMustBeInTheirNormalForm() {
        assertThat(CardRules.violation(noteTagged(List.of("home", "food")))).isNull();
        assertThat(CardRules.violation(noteTagged(List.of("home", "")))).isEqualTo(
                "each of tags must have 1 to 100 characters");
        assertThat(CardRules.violation(noteTagged(List.of("home ")))).isEqualTo(
                "each of tags must be trimmed of surrounding whitespace");
        assertThat(CardRules.violation(noteTagged(List.of("home", "food", "home")))).isEqualTo(
                "tags must not repeat an entry: 'home'");
    }

    @Test
    void theFirstRuleBrokenIsTheOneReported() {
        CardFields twoFaults = new CardFields(CardType.MD_NOTE, "ftp://example.com", "t".repeat(1001), null, null,
                List.of(), List.of(), false, Metadata.EMPTY);

        assertThat(CardRules.violation(twoFaults)).isEqualTo("url must be an absolute http(s) URL");
    }

    @Test
    void aPatchIsCheckedOnlyForTheValuesItSets() {
        CardPatch clearsUrl = new CardPatch(Edit.to(null), Edit.to(null), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep());
        CardPatch longTitle = new CardPatch(Edit.keep(), Edit.to("t".repeat(1001)), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep());
        CardPatch badImage = new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.to("/a.png"));
        CardPatch tooManyTags = new CardPatch(Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(),
                Edit.to(labels("t", 101, null)), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep());

        // Clearing a url is fine for a note; that a url card keeps one only the card after can tell.
        assertThat(CardRules.violation(clearsUrl)).isNull();
        assertThat(CardRules.violation(CardPatch.empty())).isNull();
        assertThat(CardRules.violation(longTitle)).isEqualTo("title is limited to 1000 characters");
        assertThat(CardRules.violation(badImage)).isEqualTo("metadata.image must be an absolute http(s) URL");
        assertThat(CardRules.violation(tooManyTags)).isEqualTo("tags is limited to 100 entries");
    }

    @Test
    void aFetchResultIsCheckedForWhatItWouldApply() {
        PageMetadata page = new PageMetadata("t", "d", SITE + "i.png", "s", SITE + "favicon.ico");

        assertThat(CardRules.violation(new ApplyMetadata("c1", 1, page, null, Instant.EPOCH))).isNull();
        assertThat(CardRules.violation(new ApplyMetadata("c1", 1, null, "HTTP 404", Instant.EPOCH))).isNull();
        assertThat(CardRules.violation(new ApplyMetadata("c1", 1, null, "r".repeat(501), Instant.EPOCH)))
                .isEqualTo("metadataStatus.reason is limited to 500 characters");
        assertThat(CardRules.violation(new ApplyMetadata("c1", 1,
                new PageMetadata(null, null, null, null, "favicon.ico"), null, Instant.EPOCH)))
                .isEqualTo("metadata.favicon must be an absolute http(s) URL");
    }

    private static CardFields noteTitled(String title) {
        return new CardFields(CardType.MD_NOTE, null, title, null, null, List.of(), List.of(), false, Metadata.EMPTY);
    }

    private static CardFields noteWithUrl(String url) {
        return new CardFields(CardType.MD_NOTE, url, null, null, null, List.of(), List.of(), false, Metadata.EMPTY);
    }

    private static CardFields noteTagged(List<String> tags) {
        return new CardFields(CardType.MD_NOTE, null, null, null, null, tags, List.of(), false, Metadata.EMPTY);
    }

    /** {@code count} distinct labels, prefix0, prefix1, ..., then {@code last} if not null. */
    private static List<String> labels(String prefix, int count, String last) {
        List<String> labels = new ArrayList<>(IntStream.range(0, count).mapToObj(i -> prefix + i).toList());
        if (last != null) {
            labels.add(last);
        }
        return labels;
    }
}
