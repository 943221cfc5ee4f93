package dev.pawkit.sync.bench.reliability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every attempt every client made and what it got, acknowledged or not. Clients record from many
 * threads; the checker reads it once they are done.
 */
public final class History {

    private final AtomicLong sequence = new AtomicLong();
    private final List<Exchange> exchanges = new ArrayList<>();

    /** The next attempt's sequence number, taken just before it is sent. */
    public long nextSeq() {
        return sequence.incrementAndGet();
    }

    public synchronized void record(Request request, Answer answer) {
        exchanges.add(new Exchange(request, answer));
    }

    /** Every exchange, in the order the attempts were sent. */
    public synchronized List<Exchange> exchanges() {
        return exchanges.stream().sorted(Comparator.comparingLong(e -> e.request().seq())).toList();
    }
}
