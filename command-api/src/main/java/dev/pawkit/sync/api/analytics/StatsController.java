package dev.pawkit.sync.api.analytics;

import dev.pawkit.sync.runtime.AnalyticsRunner;
import dev.pawkit.sync.analytics.AnalyticsReads;
import dev.pawkit.sync.analytics.AnalyticsReset;
import dev.pawkit.sync.analytics.Stats;
import dev.pawkit.sync.api.web.InstanceForwarder;
import dev.pawkit.sync.api.web.InvalidRequestException;
import dev.pawkit.sync.api.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The analytics numbers: the caller's own ({@code sub}; none once the caller was erased), and for
 * operators (scope {@code operator}, enforced in SecurityConfiguration) the global ones (days and
 * domains, no tags) and the reset. Reads go to the instance whose
 * analytics task holds the user's (or the global) partition.
 */
@RestController
@RequestMapping("/api/stats")
class StatsController {

    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 366;
    static final int DEFAULT_TOP = 10;
    static final int MAX_TOP = 1000;

    private final AnalyticsRunner analytics;
    private final InstanceForwarder forwarder;
    private final Clock clock = Clock.systemUTC();

    StatsController(AnalyticsRunner analytics, InstanceForwarder forwarder) {
        this.analytics = analytics;
        this.forwarder = forwarder;
    }

    @GetMapping
    ResponseEntity<?> own(@AuthenticationPrincipal Jwt user, @RequestParam(value = "days", required = false) String days,
            @RequestParam(value = "top", required = false) String top, HttpServletRequest request) {
        LocalDate since = since(days);
        int limit = bounded(top, "top", DEFAULT_TOP, MAX_TOP);
        AnalyticsReads reads = analytics.reads();
        AnalyticsReads.Owner owner = reads.ownerOfUser(user.getSubject());
        if (!owner.local()) {
            return forwarder.forward(owner.host(), request, AnalyticsReads.NotQueryableException::new);
        }
        // The lag before the numbers: they then include at least every event it counts as done.
        long lag = analytics.lag().ofEventPartition(reads.partitionOf(user.getSubject()));
        Stats stats = reads.user(user.getSubject(), since, limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", user.getSubject());
        body.putAll(StatsJson.own(stats, since, lag));
        return ResponseEntity.ok(body);
    }

    @GetMapping("/global")
    ResponseEntity<?> global(@RequestParam(value = "days", required = false) String days,
            @RequestParam(value = "top", required = false) String top, HttpServletRequest request) {
        LocalDate since = since(days);
        int limit = bounded(top, "top", DEFAULT_TOP, MAX_TOP);
        AnalyticsReads reads = analytics.reads();
        AnalyticsReads.Owner owner = reads.ownerOfGlobal();
        if (!owner.local()) {
            return forwarder.forward(owner.host(), request, AnalyticsReads.NotQueryableException::new);
        }
        long lag = analytics.lag().global();
        Stats stats = reads.global(since, limit);
        return ResponseEntity.ok(StatsJson.global(stats, since, lag));
    }

    /** Drops every number and counts the event log again; answers once analytics runs again, before it caught up. */
    @PostMapping("/reset")
    ResponseEntity<?> reset() throws Exception {
        analytics.reset();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "replaying");
        body.put("lag", analytics.lag().global());
        return ResponseEntity.accepted().header("Location", "/api/stats/global").body(body);
    }

    @ExceptionHandler(AnalyticsReads.NotQueryableException.class)
    ResponseEntity<ProblemDetail> notQueryable(AnalyticsReads.NotQueryableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
                .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "analytics-unavailable", "Service unavailable",
                        "analytics is starting, moving or being reset: " + e.getMessage()));
    }

    @ExceptionHandler(AnalyticsReset.OtherInstancesException.class)
    ResponseEntity<ProblemDetail> otherInstances(AnalyticsReset.OtherInstancesException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Problems.of(HttpStatus.CONFLICT,
                "analytics-shared", "Analytics runs on other instances", e.getMessage()));
    }

    /** The first day reported: today (UTC) and the {@code days - 1} before it. */
    private LocalDate since(String days) {
        return LocalDate.now(clock).minusDays(bounded(days, "days", DEFAULT_DAYS, MAX_DAYS) - 1L);
    }

    private static int bounded(String value, String name, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= 1 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below, like an out-of-range number.
        }
        throw new InvalidRequestException(name + " must be an integer from 1 to " + max);
    }
}
