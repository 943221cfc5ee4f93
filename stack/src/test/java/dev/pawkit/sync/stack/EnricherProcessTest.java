package dev.pawkit.sync.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.pawkit.sync.api.PawkitApplication;
import dev.pawkit.sync.testsupport.EmbeddedApplication;
import dev.pawkit.sync.testsupport.EmbeddedBroker;
import dev.pawkit.sync.testsupport.TestKeys;
import dev.pawkit.sync.testsupport.Tokens;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The enricher as its own process (here: its own application context, no HTTP server) beside an
 * API instance that runs none: a url card still gets its page's metadata, once, by the enricher.
 */
class EnricherProcessTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PAGE = "<html><head><title>Plain</title>"
            + "<meta property=\"og:title\" content=\"From its own process\"></head><body></body></html>";

    private static EmbeddedBroker broker;
    private static HttpServer site;
    private static EmbeddedApplication api;
    private static ConfigurableApplicationContext enricher;
    private static int apiPort;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start();
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/page", exchange -> {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        site.start();
        api = EmbeddedApplication.start(PawkitApplication.class, broker.bootstrapServers(),
                Map.of("pawkit.enricher.enabled", "false", "pawkit.analytics.enabled", "false"));
        apiPort = api.port();
        enricher = EnricherProcess.run("--pawkit.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--pawkit.enricher.allow-list=127.0.0.1",
                // The deployment's master key, shared by every process: the users' keys are wrapped under it.
                "--pawkit.encryption.master-key=" + TestKeys.MASTER_KEY);
    }

    @AfterAll
    static void stop() {
        if (enricher != null) {
            enricher.close();
        }
        if (api != null) {
            api.close();
        }
        site.stop(0);
        broker.close();
    }

    @Test
    void aUrlCardGetsItsMetadataFromTheEnricherProcessOnce() throws Exception {
        assertThat(enricher.getEnvironment().getProperty("local.server.port")).as("no HTTP server").isNull();
        String url = "http://127.0.0.1:" + site.getAddress().getPort() + "/page";
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/cards"))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"url\",\"url\":\"" + url + "\"}")));
        assertThat(created.statusCode()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();

        JsonNode card = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> read = send(HttpRequest.newBuilder(uri("/api/cards/" + id)).GET());
            card = JSON.readTree(read.body());
            if (read.statusCode() == 200 && "ok".equals(card.path("metadataStatus").path("state").asText())) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(card.path("metadataStatus").path("state").asText()).isEqualTo("ok");
        assertThat(card.path("metadata").path("title").asText()).isEqualTo("From its own process");
        assertThat(card.path("version").asLong()).as("one version step for the answer").isEqualTo(2);

        JsonNode history = JSON.readTree(send(HttpRequest.newBuilder(uri("/api/cards/" + id + "/history")).GET()).body());
        assertThat(history.get("items")).hasSize(2);
        assertThat(history.get("items").get(1).get("actor").asText()).isEqualTo("pawkit-enricher");
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + apiPort + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", "Bearer " + Tokens.forUser("enricher-process-user"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
