package dev.pawkit.sync.enricher.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.pawkit.sync.domain.PageMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One attempt over real HTTP against a server on 127.0.0.1 (allow-listed), and refusals that never
 * reach a connection: names resolve through a stub, so a refused address is never contacted.
 */
class PageFetcherTest {

    private static final FetchSettings SETTINGS = new FetchSettings(Duration.ofSeconds(2), Duration.ofMillis(700),
            64 * 1024, 5, 0, Duration.ofMillis(10), Duration.ofMillis(10), Duration.ofSeconds(1), FetchSettings.USER_AGENT);

    private HttpServer server;
    private String base;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::serve);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        int port = server.getAddress().getPort();
        switch (path) {
            case "/page" -> respond(exchange, 200, "text/html; charset=utf-8",
                    "<head><title>Hello</title><link rel=icon href=/i.png></head>");
            case "/hop" -> redirect(exchange, "/page");
            case "/to-loopback" -> redirect(exchange, "http://127.0.0.1:" + port + "/page");
            case "/to-file" -> redirect(exchange, "file:///etc/passwd");
            case "/pdf" -> respond(exchange, 200, "application/pdf", "%PDF-1.7 ...");
            case "/big" -> respond(exchange, 200, "text/html",
                    "<head><title>Big</title></head><body>" + "x".repeat(1024 * 1024) + "</body>");
            case "/slow" -> {
                sleep(3000);
                respond(exchange, 200, "text/html", "<title>late</title>");
            }
            case "/busy" -> {
                exchange.getResponseHeaders().add("Retry-After", "1");
                respond(exchange, 503, "text/plain", "busy");
            }
            default -> respond(exchange, 404, "text/html", "<title>Not found</title>");
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // The fetcher stopped reading: that is the point of some of these pages.
        }
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private PageFetcher fetcher(List<String> allowList, HostResolver resolver) {
        return new PageFetcher(FetchPolicy.of(allowList, false), resolver, SETTINGS, Clock.systemUTC());
    }

    private FetchOutcome fetch(String path) throws InterruptedException {
        return fetcher(List.of("127.0.0.1"), HostResolver.system()).fetchOnce(URI.create(base + path));
    }

    @Test
    void readsAnHtmlPageAfterRedirectsResolvingAgainstTheFinalUrl() throws Exception {
        assertThat(fetch("/hop")).isEqualTo(new FetchOutcome.Fetched(
                new PageMetadata("Hello", null, null, null, base + "/i.png")));
    }

    @Test
    void classifiesWhatIsNotAPage() throws Exception {
        assertThat(fetch("/pdf")).isEqualTo(new FetchOutcome.Failed("not an HTML page (application/pdf)"));
        assertThat(fetch("/missing")).isEqualTo(new FetchOutcome.Failed("HTTP 404"));
        assertThat(fetch("/busy")).isEqualTo(new FetchOutcome.Retryable("HTTP 503", Duration.ofSeconds(1)));
        assertThat(fetch("/to-file")).isEqualTo(new FetchOutcome.Failed(
                "refused by policy: only http and https URLs are fetched, not file:"));
    }

    @Test
    void aUrlHttpCannotUseFailsAsSuch() throws Exception {
        assertThat(fetcher(List.of("127.0.0.1"), HostResolver.system()).fetchOnce(URI.create("http://127.0.0.1:99999/")))
                .isEqualTo(new FetchOutcome.Failed("not a valid URL"));
    }

    @Test
    void readsABigPageOnlyUpToTheLimit() throws Exception {
        assertThat(fetch("/big")).isEqualTo(new FetchOutcome.Fetched(
                new PageMetadata("Big", null, null, null, base + "/favicon.ico")));
    }

    @Test
    void aSlowPageTimesOut() throws Exception {
        long start = System.nanoTime();
        assertThat(fetch("/slow")).isEqualTo(new FetchOutcome.Retryable("timed out after 700 ms", null));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2900));
    }

    @Test
    void aRefusedAddressIsNeverContacted() throws Exception {
        HostResolver stub = host -> List.of(InetAddress.getByName(host.equals("intranet.test") ? "10.0.0.7" : host));
        PageFetcher closed = fetcher(List.of(), stub);
        assertThat(closed.fetchOnce(URI.create("http://intranet.test/admin"))).isEqualTo(new FetchOutcome.Failed(
                "refused by policy: intranet.test resolves to 10.0.0.7, which is a private address"));
        assertThat(closed.fetchOnce(URI.create(base + "/page"))).isEqualTo(
                new FetchOutcome.Failed("refused by policy: 127.0.0.1 is a loopback address"));
        // Decimal and short forms of an IPv4 address are parsed by the same JDK code that connects.
        assertThat(closed.fetchOnce(URI.create("http://2130706433:" + server.getAddress().getPort() + "/page")))
                .isEqualTo(new FetchOutcome.Failed(
                        "refused by policy: 2130706433 resolves to 127.0.0.1, which is a loopback address"));
        assertThat(hits).isEmpty();
    }

    @Test
    void everyRedirectHopIsCheckedAgain() throws Exception {
        // "localhost" is allowed by name; the redirect to the address 127.0.0.1 is not.
        PageFetcher byName = fetcher(List.of("localhost"), HostResolver.system());
        int port = server.getAddress().getPort();
        assertThat(byName.fetchOnce(URI.create("http://localhost:" + port + "/to-loopback"))).isEqualTo(
                new FetchOutcome.Failed("refused by policy: 127.0.0.1 is a loopback address"));
        assertThat(hits).containsOnlyKeys("/to-loopback");
    }
}
