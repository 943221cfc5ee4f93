package dev.pawkit.sync.projector;

import dev.pawkit.sync.domain.CardEvent;
import dev.pawkit.sync.domain.log.EventEnvelope;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Folds each card event into the {@link CardViews} of its partition; counts it for the progress report. */
final class EventFoldProcessor implements Processor<String, EventEnvelope, Void, Void> {

    private final RebuildProgress progress;
    private CardViews views;

    EventFoldProcessor(RebuildProgress progress) {
        this.progress = progress;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.views = CardViews.of(context);
    }

    @Override
    public void process(Record<String, EventEnvelope> record) {
        EventEnvelope event = record.value();
        // null: sealed under a key since destroyed, an erased user's event: it folds to nothing. So
        // does a later event of a card whose creation did not open: a delete carries no content and
        // still reads, but the card it ends was erased with its owner (the live views hold nothing).
        if (event != null && (event.event() instanceof CardEvent.CardCreated
                || views.card(event.ownerId(), event.cardId()) != null)) {
            views.apply(event);
        }
        progress.folded();
    }
}
