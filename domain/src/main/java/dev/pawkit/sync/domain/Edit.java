package dev.pawkit.sync.domain;

import java.util.Objects;

/**
 * One field of a patch: either left alone or set to a value (null clears an optional text).
 * A type rather than a nullable value, because "absent" and "set to null" mean different things.
 */
public sealed interface Edit<T> {

    record Keep<T>() implements Edit<T> {
    }

    record SetTo<T>(T value) implements Edit<T> {
    }

    static <T> Edit<T> keep() {
        return new Keep<>();
    }

    static <T> Edit<T> to(T value) {
        return new SetTo<>(value);
    }

    default T applyTo(T current) {
        return this instanceof SetTo<T> set ? set.value() : current;
    }

    default boolean isKeep() {
        return this instanceof Keep<T>;
    }

    /** This edit, or keep when it would not change {@code current}: events carry only real changes. */
    default Edit<T> onlyIfChanging(T current) {
        return this instanceof SetTo<T> set && !Objects.equals(set.value(), current) ? this : keep();
    }
}
