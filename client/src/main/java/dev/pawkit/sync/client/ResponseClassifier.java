package dev.pawkit.sync.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads an answer to a write as the queue must act on it: applied, conflict, try again later, or
 * failed for good. Pure: the status, the problem type and the headers decide.
 */
final class ResponseClassifier {

    private ResponseClassifier() {
    }

    static SendResult classify(OperationKind kind, ApiResponse response, Instant now) {
        int status = response.status();
        if (status == 200 || status == 201) {
            JsonNode body = json(response);
            if (body == null) {
                return new SendResult.Transient(status + " without a readable body", null);
            }
            if (kind == OperationKind.DELETE) {
                return new SendResult.Deleted(body.path("version").asLong(-1));
            }
            return new SendResult.Applied(CardJson.readCard(body));
        }
        if (status == 202) {
            // Appended, decision pending (or a refresh-metadata request, decided, whose fetch runs on):
            // the status URL answers with the write's own response.
            if (response.location() == null) {
                return new SendResult.Transient("202 without Location", retryAfter(response.retryAfter(), now));
            }
            return new SendResult.Accepted(response.location(), retryAfter(response.retryAfter(), now));
        }
        String problem = problemType(response);
        if (status == 409 && problem.equals("version-conflict")) {
            JsonNode current = json(response).get("currentCard");
            if (current == null || !current.isObject()) {
                return new SendResult.Permanent(describe(response, problem) + " (no currentCard)");
            }
            return new SendResult.VersionConflict(CardJson.readCard(current));
        }
        if (status == 409 && problem.equals("card-exists") && kind == OperationKind.CREATE) {
            // Our card id is a fresh UUID, so the card is ours: the create applied earlier and its key expired.
            return new SendResult.Applied(CardJson.readCard(json(response).get("currentCard")));
        }
        if (status == 409 && problem.equals("request-in-progress")) {
            return new SendResult.Transient(describe(response, problem), retryAfter(response.retryAfter(), now));
        }
        if (status == 410 && kind == OperationKind.DELETE) {
            // Someone deleted it first: what the user wanted is true.
            return new SendResult.Deleted(-1);
        }
        if (status == 429 || status >= 500) {
            return new SendResult.Transient(describe(response, problem), retryAfter(response.retryAfter(), now));
        }
        return new SendResult.Permanent(describe(response, problem));
    }

    /**
     * {@code Retry-After} as a delay: delta-seconds or an HTTP date (RFC 9110 10.2.3); null when
     * absent or unreadable, so the backoff decides.
     */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(now, at);
                return delay.isNegative() ? Duration.ZERO : delay;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /** The last segment of the problem's {@code type} URI, e.g. {@code version-conflict}; empty if none. */
    private static String problemType(ApiResponse response) {
        JsonNode body = json(response);
        if (body == null || !body.path("type").isString()) {
            return "";
        }
        String type = body.get("type").asString();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    private static String describe(ApiResponse response, String problem) {
        JsonNode body = json(response);
        String detail = body == null ? null : body.path("detail").asString(null);
        StringBuilder text = new StringBuilder("HTTP ").append(response.status());
        if (!problem.isEmpty()) {
            text.append(' ').append(problem);
        }
        if (detail != null && !detail.isBlank()) {
            text.append(": ").append(detail);
        }
        return text.toString();
    }

    private static JsonNode json(ApiResponse response) {
        if (response.body() == null || response.body().isBlank()) {
            return null;
        }
        try {
            JsonNode node = CardJson.parse(response.body());
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
