package dev.pawkit.sync.domain.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.domain.CardCommand;
import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import dev.pawkit.sync.domain.ExpectedVersion;
import dev.pawkit.sync.domain.Metadata;
import dev.pawkit.sync.domain.PageMetadata;
import dev.pawkit.sync.domain.MetadataStatus;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** "The same request" is the same meaning: equal commands fingerprint equal, any difference in meaning differs. */
class RequestFingerprintTest {

    private static final String CREATE = "POST /api/cards";
    private static final String PATCH = "PATCH /api/cards/c1";

    @Test
    void theSameMeaningBuiltTwiceHasOneFingerprint() {
        assertThat(RequestFingerprint.of(CREATE, create("Groceries", new ArrayList<>(List.of("home")))))
                .isEqualTo(RequestFingerprint.of(CREATE, create("Groceries", List.of("home"))))
                .hasSize(64);
    }

    @Test
    void anotherValueAnotherVersionOrAnotherEndpointIsAnotherRequest() {
        String base = RequestFingerprint.of(PATCH, update(Edit.to("A"), new ExpectedVersion.InBody(3)));
        assertThat(List.of(
                RequestFingerprint.of(PATCH, update(Edit.to("B"), new ExpectedVersion.InBody(3))),
                RequestFingerprint.of(PATCH, update(Edit.to("A"), new ExpectedVersion.InBody(4))),
                RequestFingerprint.of(PATCH, update(Edit.to("A"), new ExpectedVersion.IfMatch(3))),
                RequestFingerprint.of(PATCH, update(Edit.to("A"), ExpectedVersion.any())),
                RequestFingerprint.of("PATCH /api/cards/c2", update(Edit.to("A"), new ExpectedVersion.InBody(3)))))
                .doesNotContain(base)
                .doesNotHaveDuplicates();
    }

    @Test
    void clearingAFieldKeepingItAndSettingItAreThreeRequests() {
        assertThat(List.of(
                RequestFingerprint.of(PATCH, update(Edit.to(null), ExpectedVersion.any())),
                RequestFingerprint.of(PATCH, update(Edit.keep(), ExpectedVersion.any())),
                RequestFingerprint.of(PATCH, update(Edit.to(""), ExpectedVersion.any()))))
                .doesNotHaveDuplicates();
    }

    @Test
    void valuesCannotPassForFieldBoundaries() {
        // Same characters overall, split differently between two fields.
        CardCommand first = new CardCommand.CreateCard("c1", new CardFields(CardType.TEXT_NOTE, null, "ab",
                "c", null, List.of(), List.of(), false, Metadata.EMPTY));
        CardCommand second = new CardCommand.CreateCard("c1", new CardFields(CardType.TEXT_NOTE, null, "a",
                "bc", null, List.of(), List.of(), false, Metadata.EMPTY));
        assertThat(RequestFingerprint.of(CREATE, first)).isNotEqualTo(RequestFingerprint.of(CREATE, second));
    }

    @Test
    void aMetadataAnswerIsTheRequestItAnswersWhateverThePageSaid() {
        CardCommand fetched = new CardCommand.ApplyMetadata("c1", 3,
                new PageMetadata("T", null, null, null, null), null, Instant.EPOCH);
        CardCommand failed = new CardCommand.ApplyMetadata("c1", 3, null, "HTTP 503", Instant.EPOCH.plusSeconds(60));
        CardCommand later = new CardCommand.ApplyMetadata("c1", 4, null, "HTTP 503", Instant.EPOCH);
        assertThat(RequestFingerprint.of("pawkit-enricher", failed))
                .isEqualTo(RequestFingerprint.of("pawkit-enricher", fetched))
                .isNotEqualTo(RequestFingerprint.of("pawkit-enricher", later));
    }

    // ---- completeness: a field the fingerprint left out would make two requests one ----

    @Test
    void everyFieldOfACardIsPartOfACreatesFingerprint() throws Exception {
        CardFields base = new CardFields(CardType.TEXT_NOTE, null, null, null, null, List.of(), List.of(), false,
                Metadata.EMPTY);
        Set<String> seen = new HashSet<>(Set.of(RequestFingerprint.of(CREATE, new CardCommand.CreateCard("c1", base))));
        for (CardFields variant : variants(base)) {
            assertThat(seen.add(RequestFingerprint.of(CREATE, new CardCommand.CreateCard("c1", variant))))
                    .as("a create differing from the others in one field: %s", variant).isTrue();
        }
        Metadata metadata = new Metadata(null, null, null, null, null,
                new MetadataStatus(MetadataStatus.State.PENDING, "https://a.example/", 1, null, null));
        for (Metadata variant : variants(metadata)) {
            CardFields fields = new CardFields(CardType.URL, "https://a.example/", null, null, null, List.of(),
                    List.of(), false, variant);
            assertThat(seen.add(RequestFingerprint.of(CREATE, new CardCommand.CreateCard("c1", fields))))
                    .as("metadata differing in one field: %s", variant).isTrue();
        }
        for (MetadataStatus variant : variants(metadata.status())) {
            CardFields fields = new CardFields(CardType.URL, "https://a.example/", null, null, null, List.of(),
                    List.of(), false, new Metadata(null, null, null, null, null, variant));
            assertThat(seen.add(RequestFingerprint.of(CREATE, new CardCommand.CreateCard("c1", fields))))
                    .as("metadata status differing in one field: %s", variant).isTrue();
        }
    }

    @Test
    void everyFieldOfAPatchIsPartOfAnUpdatesFingerprint() throws Exception {
        CardPatch base = CardPatch.empty();
        Set<String> seen = new HashSet<>(Set.of(RequestFingerprint.of(PATCH,
                new CardCommand.UpdateCard("c1", base, ExpectedVersion.any()))));
        for (CardPatch variant : variants(base)) {
            assertThat(seen.add(RequestFingerprint.of(PATCH,
                    new CardCommand.UpdateCard("c1", variant, ExpectedVersion.any()))))
                    .as("a patch setting one more field: %s", variant).isTrue();
        }
    }

    /** One copy of {@code base} per record component, that component changed to another value. */
    @SuppressWarnings("unchecked")
    private static <R extends Record> List<R> variants(R base) throws Exception {
        RecordComponent[] components = base.getClass().getRecordComponents();
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> canonical = base.getClass().getDeclaredConstructor(types);
        List<R> variants = new ArrayList<>();
        for (int i = 0; i < components.length; i++) {
            Object[] values = new Object[components.length];
            for (int j = 0; j < components.length; j++) {
                values[j] = components[j].getAccessor().invoke(base);
            }
            values[i] = other(components[i].getGenericType(), values[i]);
            variants.add((R) canonical.newInstance(values));
        }
        return variants;
    }

    /** A value of that type other than {@code current}. */
    private static Object other(Type type, Object current) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == Edit.class) {
            return Edit.to(other(parameterized.getActualTypeArguments()[0], null));
        }
        Class<?> raw = type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType()
                : (Class<?>) type;
        if (raw == String.class) {
            return current == null ? "https://b.example/" : current + "-other";
        }
        if (raw == List.class) {
            return List.of("other");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return !Boolean.TRUE.equals(current);
        }
        if (raw == long.class) {
            return current == null ? 7L : (Long) current + 1;
        }
        if (raw == Instant.class) {
            return Instant.EPOCH.plusSeconds(60);
        }
        if (raw == CardType.class) {
            return current == CardType.MD_NOTE ? CardType.TEXT_NOTE : CardType.MD_NOTE;
        }
        if (raw == MetadataStatus.State.class) {
            return current == MetadataStatus.State.FAILED ? MetadataStatus.State.OK : MetadataStatus.State.FAILED;
        }
        if (raw == Metadata.class) {
            return new Metadata("another description", null);
        }
        if (raw == MetadataStatus.class) {
            return MetadataStatus.pending("https://b.example/", 2);
        }
        throw new AssertionError("no other value known for " + type + ": teach this test the new field's type");
    }

    private static CardCommand create(String title, List<String> tags) {
        return new CardCommand.CreateCard("c1", new CardFields(CardType.TEXT_NOTE, null, title, null, "milk",
                tags, List.of(), false, Metadata.EMPTY));
    }

    private static CardCommand update(Edit<String> title, ExpectedVersion expected) {
        return new CardCommand.UpdateCard("c1", new CardPatch(Edit.keep(), title, Edit.keep(), Edit.keep(),
                Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep(), Edit.keep()), expected);
    }
}
