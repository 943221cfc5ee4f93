package dev.pawkit.sync.api.read;

import dev.pawkit.sync.api.web.CardJson;
import dev.pawkit.sync.api.web.InstanceForwarder;
import dev.pawkit.sync.api.web.InvalidRequestException;
import dev.pawkit.sync.projector.ProjectorReads;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One page of a user's change feed as this instance sees it, for the live streams' catch-up: read
 * from the local stores when this instance owns the user, otherwise asked of the owner through the
 * public change feed with the stream's own token, so the owner applies the same checks.
 */
@Component
class ChangeFeedPages {

    /** As many changes as one catch-up event carries. */
    static final int PAGE_SIZE = 100;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** @param items cards as the change feed gives them; @param lastSeq the position after them */
    record Page(List<Object> items, long lastSeq, boolean hasMore) {
    }

    private final ReadRouter router;
    private final InstanceForwarder forwarder;

    ChangeFeedPages(ReadRouter router, InstanceForwarder forwarder) {
        this.router = router;
        this.forwarder = forwarder;
    }

    /**
     * The changes after {@code sinceSeq}.
     *
     * @throws InvalidRequestException the position is past the end of the user's feed
     * @throws ProjectorReads.NotQueryableException no instance can answer now (rebalance, restart)
     */
    Page after(String userId, String authorization, long sinceSeq) {
        ProjectorReads.Owner owner = router.reads().ownerOf(userId);
        if (owner.local()) {
            ProjectorReads.ChangePage page = router.reads().changesSince(userId, sinceSeq, PAGE_SIZE);
            Cursors.requireWithinFeed(sinceSeq, page.headSeq(), "the stream's position");
            return new Page(new ArrayList<>(page.items().stream().map(CardJson::of).toList()), page.lastSeq(),
                    page.hasMore());
        }
        String since = URLEncoder.encode(Cursors.changesCursor(userId, sinceSeq), StandardCharsets.UTF_8);
        ResponseEntity<byte[]> answer = forwarder.get(owner.host(),
                "/api/cards/changes?limit=" + PAGE_SIZE + "&since=" + since, authorization,
                ProjectorReads.NotQueryableException::new);
        return remotePage(userId, answer);
    }

    private static Page remotePage(String userId, ResponseEntity<byte[]> answer) {
        int status = answer.getStatusCode().value();
        byte[] body = answer.getBody() == null ? new byte[0] : answer.getBody();
        if (status == 400) {
            JsonNode problem = JSON.readTree(body);
            throw new InvalidRequestException(problem.path("detail").asString("the owner refused the position"));
        }
        if (status != 200) {
            // 401 (the token expired meanwhile), 503 (ownership moving): the stream is ended and the
            // client reconnects, where it gets the real answer.
            throw new ProjectorReads.NotQueryableException("the owning instance answered " + status, null);
        }
        JsonNode page = JSON.readTree(body);
        List<Object> items = new ArrayList<>();
        page.path("items").forEach(items::add);
        long lastSeq = Cursors.readChangesCursor(userId, page.path("nextSince").asString(), "nextSince");
        return new Page(items, lastSeq, page.path("hasMore").asBoolean());
    }
}
