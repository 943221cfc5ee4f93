package dev.pawkit.sync.api.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.ApiIntegrationTest;
import dev.pawkit.sync.testsupport.CommittedLog;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13, "Hostile input": clients that send their request slowly must not delay anyone else.
 * More slow connections than Tomcat has worker threads (200) trickle a byte a second, some in
 * their body, some in their headers, while another user's ordinary requests must all be answered
 * before any slow one is; then the slow bodies end with 408 problems, the slow headers are still
 * waiting (no thread holds them), and nothing any slow client sent was written. Prints the other
 * user's latency without and with the slow connections (docs/reliability.md, "Hostile input").
 * Anonymous slow uploads get their 401 at once and the connection closed, not drained by a thread.
 * On the application every API test shares (its body deadline is 20 s).
 */
class SlowClientsTest extends ApiIntegrationTest {

    private static final int SLOW_BODIES = 250;
    private static final int SLOW_HEADERS = 250;
    private static final int ANONYMOUS_BODIES = 250;
    private static final int NORMAL_REQUESTS = 40;
    /** ApiIntegrationTest's pawkit.http.body-timeout: long enough for the normal requests on a busy machine. */
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void slowBodiesAndSlowHeadersDoNotDelayOtherClientsAndWriteNothing() throws Exception {
        String slowUser = "slow-" + UUID.randomUUID();
        String normalUser = "normal-" + UUID.randomUUID();
        normalRequests("warm-up-" + UUID.randomUUID());
        Histogram quiet = normalRequests(normalUser);

        List<Socket> slowBodies = new ArrayList<>();
        List<Socket> slowHeaders = new ArrayList<>();
        String body = "{\"type\":\"md-note\",\"title\":\"slow\"}" + " ".repeat(200);
        for (int i = 0; i < SLOW_BODIES; i++) {
            slowBodies.add(open("POST /api/cards HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + Tokens.forUser(slowUser) + "\r\nContent-Type: application/json\r\nIdempotency-Key: slow-body-" + i
                    + "\r\nContent-Length: " + body.length() + "\r\n\r\n{"));
        }
        List<Socket> anonymous = new ArrayList<>();
        for (int i = 0; i < ANONYMOUS_BODIES; i++) {
            anonymous.add(open("POST /api/cards HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
                    + "\r\nContent-Length: " + body.length() + "\r\n\r\n{"));
        }
        for (int i = 0; i < SLOW_HEADERS; i++) {
            slowHeaders.add(open("POST /api/cards HTTP/1.0\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + Tokens.forUser(slowUser) + "\r\nIdempotency-Key: slow-header-" + i + "\r\nX-Slow: a"));
        }
        List<Socket> trickled = new ArrayList<>(slowBodies);
        trickled.addAll(anonymous);
        Trickle trickle = new Trickle(trickled, slowHeaders);
        trickle.start();
        trickle.awaitRounds(2);

        Histogram loaded = normalRequests(normalUser);

        // Anonymous uploads: a 401 at once, and the connection closed although their bodies keep coming.
        for (Socket upload : anonymous) {
            upload.setSoTimeout(10_000);
            String answer = new String(upload.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 401 ");
            assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
        }
        // Every ordinary request was answered while not one slow connection had an answer yet.
        for (Socket slow : slowBodies) {
            assertThat(answered(slow)).as("a slow body answered before the ordinary requests were done").isFalse();
        }
        for (Socket slow : slowHeaders) {
            assertThat(answered(slow)).as("a slow header answered before the ordinary requests were done").isFalse();
        }
        System.out.printf("slow-clients: slow_bodies=%d slow_headers=%d normal_requests=%d"
                        + " quiet_p50_ms=%.1f quiet_p99_ms=%.1f loaded_p50_ms=%.1f loaded_p99_ms=%.1f%n",
                SLOW_BODIES, SLOW_HEADERS, NORMAL_REQUESTS, millis(quiet, 50), millis(quiet, 99),
                millis(loaded, 50), millis(loaded, 99));

        // The slow bodies keep trickling and still end at the deadline: 408 problems, connection closed.
        int timedOut = 0;
        for (Socket slow : slowBodies) {
            slow.setSoTimeout((int) BODY_TIMEOUT.multipliedBy(3).toMillis());
            String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
            JsonNode problem = JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(problem.get("status").intValue()).isEqualTo(408);
            assertThat(problem.get("type").stringValue()).endsWith("/request-timeout");
            timedOut++;
        }
        trickle.interrupt();
        trickle.join();
        // The slow headers are still waiting, held by the poller rather than by a thread.
        for (Socket slow : slowHeaders) {
            assertThat(answered(slow)).isFalse();
            slow.close();
        }
        assertThat(timedOut).isEqualTo(SLOW_BODIES);

        CommittedLog log = committedLog();
        assertThat(log.commandsOf(slowUser)).isEmpty();
        assertThat(log.eventsOf(slowUser)).isEmpty();
        // The ordinary creates, quiet and loaded, each applied once.
        assertThat(log.eventsOf(normalUser).size()).isEqualTo(2 * NORMAL_REQUESTS);
    }

    /**
     * The ordinary client: creates (each answered 201, with its own key) and reads of what it
     * created, one after the other; the latency of each, in microseconds.
     */
    private Histogram normalRequests(String user) throws Exception {
        Histogram latencies = new Histogram(TimeUnit.MINUTES.toMicros(2), 3);
        String token = Tokens.forUser(user);
        for (int i = 0; i < NORMAL_REQUESTS; i++) {
            long started = System.nanoTime();
            HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/cards"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"md-note\",\"title\":\"normal " + i + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            latencies.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started));
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            started = System.nanoTime();
            HttpResponse<String> read = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + created.headers().firstValue("Location").orElseThrow()))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            latencies.recordValue(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started));
            assertThat(read.statusCode()).isEqualTo(200);
        }
        return latencies;
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    private Socket open(String head) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Whether the server has sent anything on this connection (or closed it), without waiting for it. */
    private static boolean answered(Socket socket) throws IOException {
        socket.setSoTimeout(1);
        try {
            socket.getInputStream().read();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Sends one more byte a second on every slow connection, body bytes (spaces) and header bytes. */
    private static final class Trickle extends Thread {

        private final List<Socket> bodies;
        private final List<Socket> headers;
        private final CountDownLatch rounds = new CountDownLatch(2);

        Trickle(List<Socket> bodies, List<Socket> headers) {
            super("slow-client-trickle");
            setDaemon(true);
            this.bodies = bodies;
            this.headers = headers;
        }

        void awaitRounds(int count) throws InterruptedException {
            assertThat(rounds.await(60, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void run() {
            try {
                while (!isInterrupted()) {
                    Thread.sleep(1000);
                    for (Socket socket : bodies) {
                        send(socket, ' ');
                    }
                    for (Socket socket : headers) {
                        send(socket, 'a');
                    }
                    rounds.countDown();
                }
            } catch (InterruptedException e) {
                // Done.
            }
        }

        private static void send(Socket socket, char c) {
            try {
                socket.getOutputStream().write(c);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // Answered and closed by the server: nothing more to send.
            }
        }
    }
}
