package dev.pawkit.sync.bench.reliability;

/** One attempt and its answer: an entry of the history. */
public record Exchange(Request request, Answer answer) {
}
