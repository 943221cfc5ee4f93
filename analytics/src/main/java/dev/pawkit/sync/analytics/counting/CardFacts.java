package dev.pawkit.sync.analytics.counting;

import dev.pawkit.sync.domain.CardFields;
import dev.pawkit.sync.domain.CardPatch;
import dev.pawkit.sync.domain.CardType;
import dev.pawkit.sync.domain.Edit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What analytics remembers of a live card: just enough to take back what it counted when the
 * card's url or tags change or the card is deleted (an update event carries only what changed).
 *
 * @param domain the url's domain for url cards; null for notes and for urls without a host
 * @param tags distinct, in order
 */
public record CardFacts(CardType type, String domain, List<String> tags) {

    public CardFacts {
        Objects.requireNonNull(type, "type");
        tags = List.copyOf(new TreeSet<>(tags));
    }

    public static CardFacts of(CardFields fields) {
        return new CardFacts(fields.type(), domainOf(fields.type(), fields.url()), fields.tags());
    }

    /** These facts after an update: a new url on a url card moves it to the new domain; new tags replace the old. */
    public CardFacts with(CardPatch changes) {
        String newDomain = changes.url() instanceof Edit.SetTo<String> url ? domainOf(type, url.value()) : domain;
        List<String> newTags = changes.tags().applyTo(tags);
        return new CardFacts(type, newDomain, newTags == null ? List.of() : newTags);
    }

    /** What this card adds to the live counters: its domain, and each tag once. */
    TreeMap<StatKey, Long> contribution() {
        TreeMap<StatKey, Long> counts = new TreeMap<>();
        if (domain != null) {
            counts.put(new StatKey(Stat.DOMAIN, domain), 1L);
        }
        for (String tag : tags) {
            counts.put(new StatKey(Stat.TAG, tag), 1L);
        }
        return counts;
    }

    /** The counter moves that turn {@code before}'s contribution into {@code after}'s; either may be null (no card). */
    static List<StatDelta> difference(CardFacts before, CardFacts after) {
        TreeMap<StatKey, Long> change = after == null ? new TreeMap<>() : after.contribution();
        if (before != null) {
            before.contribution().forEach((key, count) -> change.merge(key, -count, Long::sum));
        }
        List<StatDelta> deltas = new ArrayList<>();
        change.forEach((key, by) -> {
            if (by != 0) {
                deltas.add(new StatDelta(key.stat(), key.key(), by));
            }
        });
        return deltas;
    }

    private static String domainOf(CardType type, String url) {
        return type == CardType.URL ? UrlDomain.of(url) : null;
    }

    /** A counter's identity, ordered so that deltas come out in the same order every time. */
    record StatKey(Stat stat, String key) implements Comparable<StatKey> {
        @Override
        public int compareTo(StatKey other) {
            int byStat = stat.compareTo(other.stat);
            return byStat != 0 ? byStat : key.compareTo(other.key);
        }
    }
}
