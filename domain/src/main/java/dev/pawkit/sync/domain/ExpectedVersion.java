package dev.pawkit.sync.domain;

/**
 * The version a write was based on. A type, not an int with magic values: "any" is last write
 * wins; a body version that differs is a conflict (409); an If-Match that differs fails its
 * precondition (412).
 */
public sealed interface ExpectedVersion {

    record Any() implements ExpectedVersion {
    }

    record InBody(long version) implements ExpectedVersion {
    }

    record IfMatch(long version) implements ExpectedVersion {
    }

    static ExpectedVersion any() {
        return new Any();
    }

    /** The version the writer named, or -1 for {@link Any}. */
    default long named() {
        if (this instanceof InBody body) {
            return body.version();
        }
        if (this instanceof IfMatch ifMatch) {
            return ifMatch.version();
        }
        return -1;
    }

    default boolean admits(long currentVersion) {
        if (this instanceof InBody body) {
            return body.version() == currentVersion;
        }
        if (this instanceof IfMatch ifMatch) {
            return ifMatch.version() == currentVersion;
        }
        return true;
    }
}
