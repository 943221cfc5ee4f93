package dev.pawkit.sync.client;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sends several operations of different cards as one {@code POST /api/batch} and tells what came
 * of each, exactly as its single request would have: the server answers each member as that
 * request alone, so {@link ResponseClassifier} reads each one, and a 202 member is followed to its
 * decision. The batch is not atomic and needs not be: each member has its own key. When the batch
 * itself gets no answer, or a 5xx or 429, every member gets that result (a retry with the same
 * keys replays what applied). A server without the endpoint (404, 405) is told apart, so the
 * drain can send singly.
 */
final class BatchSender {

    /** What one batch request came to. */
    sealed interface Outcome {
    }

    /** One result per operation, in the batch's order. */
    record Answered(List<SendResult> results) implements Outcome {
    }

    /** The server has no batch endpoint: nothing was applied. */
    record Unsupported(int status) implements Outcome {
    }

    /** The most operations one batch may carry (the server's limit). */
    static final int MAX_OPERATIONS = 100;

    private final CardApi api;
    private final OperationSender sender;
    private final Clock clock;

    BatchSender(CardApi api, OperationSender sender, Clock clock) {
        this.api = api;
        this.sender = sender;
        this.clock = clock;
    }

    Outcome send(List<Operation> ops) {
        ApiResponse response;
        try {
            response = api.batch(CardJson.batchBody(ops));
        } catch (IOException | InterruptedException | RuntimeException e) {
            return every(ops, OperationSender.failure(e));
        }
        if (response.status() == 404 || response.status() == 405) {
            return new Unsupported(response.status());
        }
        if (response.status() != 200) {
            // The batch as a whole was refused (429, 5xx, 401, 413): each member as if it had been.
            List<SendResult> results = new ArrayList<>();
            for (Operation op : ops) {
                results.add(ResponseClassifier.classify(op.kind(), response, clock.instant()));
            }
            return new Answered(results);
        }
        List<ApiResponse> answers;
        try {
            answers = CardJson.batchResults(response.body());
        } catch (RuntimeException e) {
            answers = null;
        }
        if (answers == null || answers.size() != ops.size()) {
            // Whatever applied, applied under the members' keys: sending again replays it.
            return every(ops, new SendResult.Transient("200 without a readable batch answer", null));
        }
        List<SendResult> results = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            OperationKind kind = ops.get(i).kind();
            results.add(sender.decide(kind, ResponseClassifier.classify(kind, answers.get(i), clock.instant())));
        }
        return new Answered(results);
    }

    private static Answered every(List<Operation> ops, SendResult result) {
        return new Answered(Collections.nCopies(ops.size(), result));
    }
}
