package dev.pawkit.sync.client;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the queue, keeping up to {@code maxInFlight} operations of different cards in flight: as
 * soon as one is answered and recorded, its card's next operation (if due) or the next card's
 * takes the free slot. Which operations may go is {@link DrainPlan}'s rule (per card, the oldest
 * only), so a card's operations never overtake each other while different cards never wait for
 * each other. One drain at a time, whoever asks (start-up, a local write, the timer, a user).
 */
final class QueueDrainer {

    private record Answered(Operation op, SendResult result) {
    }

    private final LocalStore store;
    private final OperationSender sender;
    private final ResultRecorder recorder;
    private final StatusReporter status;
    private final Clock clock;
    private final int maxInFlight;
    private final ExecutorService senders;
    private final ReentrantLock drainLock = new ReentrantLock();

    QueueDrainer(LocalStore store, OperationSender sender, ResultRecorder recorder, StatusReporter status,
            Clock clock, int maxInFlight, ExecutorService senders) {
        this.store = store;
        this.sender = sender;
        this.recorder = recorder;
        this.status = status;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
        this.senders = senders;
    }

    /** Sends until nothing is due or the server is unreachable; scheduled retries are left for later. */
    DrainReport drain() {
        drainLock.lock();
        try {
            BlockingQueue<Answered> answered = new LinkedBlockingQueue<>();
            Set<String> cardsInFlight = new HashSet<>();
            // Due operations whose card has nothing in flight, by queue position.
            TreeMap<Long, Operation> due = new TreeMap<>();
            addDue(due, store.read(t -> t.operations().heads()), cardsInFlight);
            int sent = 0;
            boolean offline = false;
            while (true) {
                while (!offline && cardsInFlight.size() < maxInFlight && !due.isEmpty()) {
                    Operation head = due.pollFirstEntry().getValue();
                    if (cardsInFlight.contains(head.cardId())) {
                        continue;
                    }
                    // Merged with the card's never-sent changes and stored as sent before it leaves.
                    Optional<Operation> claimed = store.write(t -> OperationClaim.claim(t, head.cardId()));
                    if (claimed.isEmpty()) {
                        // The merge left nothing to send (a create then a delete): the card's next, if any.
                        addDue(due, firstOf(head.cardId()), cardsInFlight);
                        continue;
                    }
                    Operation op = claimed.get();
                    cardsInFlight.add(op.cardId());
                    senders.execute(() -> answered.add(new Answered(op, sender.send(op))));
                }
                if (cardsInFlight.isEmpty()) {
                    break;
                }
                Answered answer = answered.take();
                cardsInFlight.remove(answer.op().cardId());
                recorder.record(answer.op(), answer.result());
                sent++;
                offline |= answer.result() instanceof SendResult.Offline;
                status.offline(offline);
                status.publish();
                if (!offline) {
                    // The card's next operation may go now; when nothing is known to be due, look at the
                    // whole queue again (local writes made meanwhile, retries fallen due).
                    addDue(due, firstOf(answer.op().cardId()), cardsInFlight);
                    if (due.isEmpty()) {
                        addDue(due, store.read(t -> t.operations().heads()), cardsInFlight);
                    }
                }
            }
            if (!offline) {
                status.offline(false);
            }
            Optional<Instant> nextRetry = DrainPlan.nextRetry(store.read(t -> t.operations().heads()));
            return new DrainReport(sent, offline, nextRetry);
        } catch (InterruptedException e) {
            // Closing: what is in flight is answered to no one and will be sent again with its key.
            Thread.currentThread().interrupt();
            return new DrainReport(0, false, Optional.empty());
        } finally {
            drainLock.unlock();
        }
    }

    private List<Operation> firstOf(String cardId) {
        return store.read(t -> t.operations().ofCard(cardId)).stream().limit(1).toList();
    }

    private void addDue(TreeMap<Long, Operation> due, List<Operation> heads, Set<String> cardsInFlight) {
        for (Operation op : DrainPlan.ready(heads, clock.instant(), Integer.MAX_VALUE)) {
            if (!cardsInFlight.contains(op.cardId())) {
                due.put(op.seq(), op);
            }
        }
    }
}
