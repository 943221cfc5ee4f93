package dev.pawkit.sync.api.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pawkit.sync.api.ApiIntegrationTest;
import dev.pawkit.sync.api.EventStreamConnection;
import dev.pawkit.sync.testsupport.Tokens;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A client that opens a stream and never reads it: the server holds at most one page for it, its
 * writes block only until the connection's write timeout, then it is dropped; meanwhile another
 * stream of the same user keeps getting every change.
 */
class SlowStreamReaderTest extends ApiIntegrationTest {

    @Autowired
    ChangeStreams streams;

    @Test
    void aStreamThatIsNotReadIsDroppedWhileAnotherKeepsUp() throws Exception {
        String user = "slow-" + UUID.randomUUID();
        try (Socket stalled = new Socket();
                EventStreamConnection healthy = EventStreamConnection.open(http, port, Tokens.forUser(user), "",
                        Map.of())) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /api/cards/changes/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + "Authorization: Bearer " + Tokens.forUser(user) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            awaitStreams(user, 2);

            // 40 changes of 100 kB each, about 4 MB: far more than the socket buffers hold.
            String notes = "x".repeat(100_000);
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> created = send("POST", "/api/cards", user,
                        "{\"type\":\"md-note\",\"title\":\"big " + i + "\",\"notes\":\"" + notes + "\"}",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                assertThat(created.statusCode()).isEqualTo(201);
                assertThat(healthy.next(Duration.ofSeconds(15)).data()).contains("big " + i);
            }
            // The stalled one is dropped once its write has not moved for the connection timeout.
            awaitStreams(user, 1);
            assertThat(healthy.awaitEnd(Duration.ZERO)).as("the reading stream is still open").isFalse();
        }
    }

    private void awaitStreams(String user, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (streams.openStreamsOf(user) != count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(streams.openStreamsOf(user)).isEqualTo(count);
    }
}
