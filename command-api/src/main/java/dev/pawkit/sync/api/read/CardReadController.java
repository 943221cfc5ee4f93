package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.web.CardJson;
import dev.pawkit.sync.api.web.Problems;
import dev.pawkit.sync.api.write.CardRequestReader;
import dev.pawkit.sync.projector.ProjectorReads;
import dev.pawkit.sync.domain.CardHistory;
import dev.pawkit.sync.domain.Card;
import dev.pawkit.sync.domain.log.EventEnvelope;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Card reads, from the projector's stores (routed to the instance that owns the user). */
@RestController
@RequestMapping("/api/cards")
class CardReadController {

    private final ReadRouter router;

    CardReadController(ReadRouter router) {
        this.router = router;
    }

    @GetMapping("/{id}")
    ResponseEntity<?> card(@AuthenticationPrincipal Jwt user, @PathVariable String id,
            @RequestParam(value = "asOfVersion", required = false) String asOfVersion,
            @RequestParam(value = "asOf", required = false) String asOf,
            @RequestHeader(value = "If-None-Match", required = false) String ifNoneMatch,
            HttpServletRequest request) {
        String cardId = CardRequestReader.uuid(id, "the card id in the URL");
        Optional<TimeTravel> then = TimeTravel.of(asOfVersion, asOf);
        Optional<ResponseEntity<byte[]>> forwarded = router.forwardIfRemote(user.getSubject(), request);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        Optional<Card> card = then.isPresent()
                ? then.get().cardIn(router.reads().history(user.getSubject(), cardId))
                : router.reads().card(user.getSubject(), cardId).filter(c -> !c.deleted());
        if (card.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Problems.of(HttpStatus.NOT_FOUND, "not-found",
                    "Not found", then.map(t -> "no card " + cardId + " " + t.describe()).orElse("no card " + cardId)));
        }
        String etag = CardJson.etag(card.get().version());
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).build();
        }
        return ResponseEntity.ok().eTag(etag).body(CardJson.of(card.get()));
    }

    /** Every event of the card in order, with the fields each changed; a deleted card keeps its history. */
    @GetMapping("/{id}/history")
    ResponseEntity<?> history(@AuthenticationPrincipal Jwt user, @PathVariable String id,
            @RequestParam(value = "limit", required = false) String limit,
            @RequestParam(value = "cursor", required = false) String cursor, HttpServletRequest request) {
        String cardId = CardRequestReader.uuid(id, "the card id in the URL");
        int pageSize = Cursors.limit(limit);
        long afterVersion = cursor == null ? 0 : Cursors.readHistoryCursor(cursor);
        Optional<ResponseEntity<byte[]>> forwarded = router.forwardIfRemote(user.getSubject(), request);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        List<EventEnvelope> events = router.reads().history(user.getSubject(), cardId);
        if (events.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", "no card " + cardId));
        }
        List<CardHistory.Entry> entries = CardHistory.entries(events.stream().map(EventEnvelope::event).toList());
        List<Map<String, Object>> items = new ArrayList<>();
        boolean hasMore = false;
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).event().version() <= afterVersion) {
                continue;
            }
            if (items.size() == pageSize) {
                hasMore = true;
                break;
            }
            items.add(HistoryJson.of(entries.get(i), events.get(i)));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("nextCursor", hasMore
                ? Cursors.historyCursor((Long) items.get(items.size() - 1).get("version")) : null);
        return ResponseEntity.ok(body);
    }

    @GetMapping
    ResponseEntity<?> list(@AuthenticationPrincipal Jwt user,
            @RequestParam(value = "limit", required = false) String limit,
            @RequestParam(value = "cursor", required = false) String cursor, HttpServletRequest request) {
        int pageSize = Cursors.limit(limit);
        String after = cursor == null ? null : Cursors.readListCursor(cursor);
        Optional<ResponseEntity<byte[]>> forwarded = router.forwardIfRemote(user.getSubject(), request);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        ProjectorReads.CardPage page = router.reads().liveCards(user.getSubject(), after, pageSize);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(CardJson::of).toList());
        body.put("nextCursor", page.hasMore() ? Cursors.listCursor(page.lastId()) : null);
        return ResponseEntity.ok(body);
    }

    @GetMapping("/changes")
    ResponseEntity<?> changes(@AuthenticationPrincipal Jwt user,
            @RequestParam(value = "since", required = false) String since,
            @RequestParam(value = "limit", required = false) String limit, HttpServletRequest request) {
        int pageSize = Cursors.limit(limit);
        long sinceSeq = since == null ? 0 : Cursors.readChangesCursor(user.getSubject(), since, "since");
        Optional<ResponseEntity<byte[]>> forwarded = router.forwardIfRemote(user.getSubject(), request);
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        ProjectorReads.ChangePage page = router.reads().changesSince(user.getSubject(), sinceSeq, pageSize);
        Cursors.requireWithinFeed(sinceSeq, page.headSeq(), "since");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(CardJson::of).toList());
        body.put("nextSince", Cursors.changesCursor(user.getSubject(), page.lastSeq()));
        body.put("hasMore", page.hasMore());
        return ResponseEntity.ok(body);
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String value = candidate.trim();
            if (value.equals("*") || value.equals(etag) || value.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
