package dev.pawkit.sync.analytics.counting;

/** What a counter counts: events of a kind per UTC day, or live cards per domain or per tag. */
public enum Stat {
    /** Cards created on a day; the counter's key is the day, {@code yyyy-MM-dd}. */
    CREATED,
    /** Update events on a day (user edits and fetched page metadata alike). */
    UPDATED,
    /** Cards deleted on a day. */
    DELETED,
    /** Live url cards whose url is on a domain; the key is the domain. */
    DOMAIN,
    /** Live cards carrying a tag; the key is the tag. */
    TAG
}
