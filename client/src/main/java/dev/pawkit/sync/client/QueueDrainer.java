package dev.pawkit.sync.client;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the queue in requests of up to {@code batchSize} operations of different cards (one
 * {@code POST /api/batch}; a lone operation or a refresh goes as its own request), keeping up to
 * {@code maxInFlight} requests in flight: as soon as one is answered and recorded, its cards' next
 * operations (if due) or other cards' take the free places. Which operations may go is
 * {@link DrainPlan}'s rule (per card, the oldest only), so a card's operations never overtake each
 * other while different cards never wait for each other. Each operation is claimed
 * ({@link OperationClaim}: merged, marked sent) just before its request leaves. One drain at a
 * time, whoever asks (start-up, a local write, the timer, a user).
 */
final class QueueDrainer {

    /** A request's operations and what came of each; {@code refused} when the server has no batch endpoint. */
    private record Answered(List<Operation> ops, List<SendResult> results, boolean refused) {
    }

    private static final System.Logger LOG = System.getLogger(QueueDrainer.class.getName());

    private final LocalStore store;
    private final OperationSender sender;
    private final BatchSender batches;
    private final ResultRecorder recorder;
    private final StatusReporter status;
    private final Clock clock;
    private final int maxInFlight;
    private final int batchSize;
    private final ExecutorService senders;
    private final ReentrantLock drainLock = new ReentrantLock();
    /** False once the server answered 404/405 to a batch (an older server): singles from then on. */
    private volatile boolean batchesAccepted = true;

    QueueDrainer(LocalStore store, OperationSender sender, BatchSender batches, ResultRecorder recorder,
            StatusReporter status, Clock clock, int maxInFlight, int batchSize, ExecutorService senders) {
        this.store = store;
        this.sender = sender;
        this.batches = batches;
        this.recorder = recorder;
        this.status = status;
        this.clock = clock;
        this.maxInFlight = maxInFlight;
        this.batchSize = batchSize;
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
            int requestsInFlight = 0;
            int sent = 0;
            boolean offline = false;
            while (true) {
                while (!offline && requestsInFlight < maxInFlight && !due.isEmpty()) {
                    List<Operation> request = claimNext(due, cardsInFlight);
                    if (request.isEmpty()) {
                        continue;
                    }
                    request.forEach(op -> cardsInFlight.add(op.cardId()));
                    requestsInFlight++;
                    senders.execute(() -> answered.add(send(request)));
                }
                if (requestsInFlight == 0) {
                    break;
                }
                Answered answer = answered.take();
                requestsInFlight--;
                answer.ops().forEach(op -> cardsInFlight.remove(op.cardId()));
                if (answer.refused()) {
                    // An older server: nothing applied; the same operations go again, one per request.
                    batchesAccepted = false;
                    answer.ops().forEach(op -> due.put(op.seq(), op));
                    continue;
                }
                for (int i = 0; i < answer.ops().size(); i++) {
                    SendResult result = answer.results().get(i);
                    recorder.record(answer.ops().get(i), result);
                    if (result instanceof SendResult.Offline) {
                        offline = true;
                        status.offline(true);
                    } else if (!offline && answeredByServer(result)) {
                        status.offline(false);
                    }
                    sent++;
                }
                status.publish();
                if (!offline) {
                    // The cards' next operations may go now; when nothing is known to be due, look at the
                    // whole queue again (local writes made meanwhile, retries fallen due).
                    for (Operation op : answer.ops()) {
                        addDue(due, firstOf(op.cardId()), cardsInFlight);
                    }
                    if (due.isEmpty()) {
                        addDue(due, store.read(t -> t.operations().heads()), cardsInFlight);
                    }
                }
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

    /**
     * The next request's operations, claimed in one transaction: the oldest due operation, and with
     * it, when it can go in a batch, the next due ones that can too, up to {@code batchSize}.
     */
    private List<Operation> claimNext(TreeMap<Long, Operation> due, Set<String> cardsInFlight) {
        List<Operation> picked = new ArrayList<>();
        Set<String> cards = new HashSet<>();
        Operation first = due.pollFirstEntry().getValue();
        if (cardsInFlight.contains(first.cardId())) {
            return List.of();
        }
        picked.add(first);
        cards.add(first.cardId());
        if (batchesAccepted && batchable(first)) {
            Iterator<Operation> rest = due.values().iterator();
            while (picked.size() < batchSize && rest.hasNext()) {
                Operation op = rest.next();
                if (batchable(op) && !cardsInFlight.contains(op.cardId()) && cards.add(op.cardId())) {
                    picked.add(op);
                    rest.remove();
                }
            }
        }
        List<String> emptied = new ArrayList<>();
        List<Operation> claimed = store.write(t -> {
            List<Operation> ops = new ArrayList<>();
            for (Operation op : picked) {
                Optional<Operation> claim = OperationClaim.claim(t, op.cardId());
                if (claim.isPresent()) {
                    ops.add(claim.get());
                } else {
                    emptied.add(op.cardId());
                }
            }
            return ops;
        });
        // A merge that left nothing to send (a create then a delete): the card's next operation, if any.
        for (String cardId : emptied) {
            addDue(due, firstOf(cardId), cardsInFlight);
        }
        return claimed;
    }

    private Answered send(List<Operation> ops) {
        if (ops.size() == 1) {
            return new Answered(ops, List.of(sender.send(ops.get(0))), false);
        }
        BatchSender.Outcome outcome = batches.send(ops);
        if (outcome instanceof BatchSender.Unsupported unsupported) {
            LOG.log(System.Logger.Level.INFO, "the server answered " + unsupported.status()
                    + " to a batch; sending one operation per request");
            return new Answered(ops, List.of(), true);
        }
        return new Answered(ops, ((BatchSender.Answered) outcome).results(), false);
    }

    /**
     * Whether a result proves the server was reached. Only such a result clears "offline": a drain
     * that sent nothing, or whose requests were cut or timed out, says nothing about the server (it
     * used to clear the flag, so a client could show online between two refused connections).
     */
    private static boolean answeredByServer(SendResult result) {
        return !(result instanceof SendResult.Offline || result instanceof SendResult.Transient);
    }

    /** Refresh-metadata has no batch form (the server takes card writes only). */
    private static boolean batchable(Operation op) {
        return op.kind() != OperationKind.REFRESH_METADATA;
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
